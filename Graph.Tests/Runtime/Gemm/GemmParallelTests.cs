using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>
/// The threaded driver matches the reference for one row of tiles, several row tiles sharing a packed B (more rows
/// than Mc, several k slices, more columns than Nc), matrix-vector shapes and small products.
/// </summary>
[TestClass]
public sealed class GemmParallelTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public void Products_MatchReference(int threads)
    {
        using var parallel = new GemmParallel(threads);
        int seed = 0;
        foreach ((int m, int n, int k) in new[] { (200, 70, 90), (70, 200, 90), (257, 129, 300), (30, 30, 30), (1, 600, 700), (600, 1, 700), (25, 33, 500), (520, 300, 600), (500, 4200, 40) })
        {
            foreach ((bool transA, bool transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                var problem = new GemmProblem(transA, transB, m, n, k, alpha: 1.5, beta: 0.25, padA: 1, padC: 2, seed: ++seed);
                float[] cf = problem.CFloat();
                parallel.Multiply(transA, transB, m, n, k, 1.5f, problem.AFloat, problem.Lda, problem.BFloat, problem.Ldb, 0.25f, cf, problem.Ldc);
                problem.Check(cf);
                double[] cd = problem.CDouble();
                parallel.Multiply(transA, transB, m, n, k, 1.5, problem.A, problem.Lda, problem.B, problem.Ldb, 0.25, cd, problem.Ldc);
                problem.Check(cd);
            }
        }
    }

    [TestMethod]
    public void ForcedScalarPath_MatchesReference()
    {
        using var parallel = new GemmParallel(2, GemmKernelPath.Scalar, minimumParallelWork: 0);
        var problem = new GemmProblem(false, false, 50, 40, 30, seed: 3);
        double[] c = problem.CDouble();
        parallel.Multiply(false, false, 50, 40, 30, 1.0, problem.A, problem.Lda, problem.B, problem.Ldb, 0.0, c, problem.Ldc);
        problem.Check(c);
    }

    [TestMethod]
    public void AfterDispose_MultiplyThrows_AndDisposeIsIdempotent()
    {
        var parallel = new GemmParallel(2);
        parallel.Dispose();
        parallel.Dispose();
        Assert.Throws<ObjectDisposedException>(() =>
            parallel.Multiply(false, false, 1, 1, 1, 1f, new float[1], 1, new float[1], 1, 0f, new float[1], 1));
    }

    [TestMethod]
    public void InvalidArguments_ThrowOnTheCallerThread()
    {
        using var parallel = new GemmParallel(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GemmParallel(0));
        Assert.Throws<ArgumentException>(() =>
            parallel.Multiply(false, false, 100, 100, 100, 1f, new float[100], 100, new float[10000], 100, 0f, new float[10000], 100));

        // The driver still works after a rejected call.
        var problem = new GemmProblem(false, false, 100, 100, 100, seed: 4);
        float[] c = problem.CFloat();
        parallel.Multiply(false, false, 100, 100, 100, 1f, problem.AFloat, problem.Lda, problem.BFloat, problem.Ldb, 0f, c, problem.Ldc);
        problem.Check(c);
    }
}
