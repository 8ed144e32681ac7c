using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>
/// Narrow products (2 to 8 columns of C, as a convolution on a 2×2 map at batch 1) in every layout, with padded
/// leading dimensions, alpha and beta; through one workspace and through the threaded driver, whose row parts must
/// give the one-thread bits.
/// </summary>
[TestClass]
public sealed class GemmNarrowTests
{
    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (512, 4, 300), (130, 2, 33), (77, 3, 1000), (200, 5, 17), (64, 7, 64), (9, 8, 129), (1000, 4, 9),
    ];

    [TestMethod]
    [DynamicData(nameof(GemmPaths.SupportedVector), typeof(GemmPaths))]
    public void AllTransposesAndStrides_MatchReference(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        int seed = 0;
        foreach ((int m, int n, int k) in s_shapes)
        {
            Assert.IsTrue(GemmNarrow.Applies<float>(m, n, k, workspace), $"{m}×{n}×{k} should take the narrow path");
            foreach ((bool transA, bool transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                foreach ((double alpha, double beta, int pad) in new[] { (1.0, 0.0, 0), (-0.5, 1.5, 2), (2.0, 1.0, 1) })
                {
                    new GemmProblem(transA, transB, m, n, k, alpha, beta, padA: pad, padB: pad, padC: pad, seed: ++seed).RunBoth(workspace);
                }
            }
        }
    }

    [TestMethod]
    public void ThreeThreads_EqualOneThread_Bitwise_AndMatchReference()
    {
        using var one = new GemmParallel(1);
        using var three = new GemmParallel(3, minimumParallelWork: 0);
        int seed = 100;
        foreach ((int m, int n, int k) in s_shapes)
        {
            foreach ((bool transA, bool transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                var problem = new GemmProblem(transA, transB, m, n, k, alpha: 1.0, beta: 1.0, padC: 1, seed: ++seed);
                float[] c1 = problem.CFloat(), c3 = problem.CFloat();
                one.Multiply(transA, transB, m, n, k, 1f, problem.AFloat, problem.Lda, problem.BFloat, problem.Ldb, 1f, c1, problem.Ldc);
                three.Multiply(transA, transB, m, n, k, 1f, problem.AFloat, problem.Lda, problem.BFloat, problem.Ldb, 1f, c3, problem.Ldc);
                problem.Check(c3);
                CollectionAssert.AreEqual(c1, c3, $"{m}×{n}×{k} transA {transA} transB {transB}");
            }
        }
    }
}
