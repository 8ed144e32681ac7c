using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Runtime.Execution;
using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>
/// The threaded driver's tiles and shared packing do not change a single bit: 1 thread and 3 threads give the same C
/// on shapes that take every path (one row of tiles, several row tiles sharing a packed B, several k slices and
/// column blocks, partial edge tiles), with beta nonzero so the slices' accumulation order shows.
/// </summary>
[TestClass]
public sealed class GemmDeterminismTests
{
    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (64, 700, 300), (500, 300, 600), (1000, 61, 257), (37, 5000, 40), (250, 2100, 190),
    ];

    [TestMethod]
    public void ThreeThreads_EqualOneThread_Bitwise()
    {
        // A pool of its own: three threads on any machine, and no other test's sessions taking its workers.
        using var pool = new WorkerPool(3);
        using var one = new GemmParallel(1);
        using var three = new GemmParallel(3, minimumParallelWork: 0, pool: pool);
        int seed = 0;
        foreach ((int m, int n, int k) in s_shapes)
        {
            foreach ((bool transA, bool transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                var problem = new GemmProblem(transA, transB, m, n, k, alpha: 0.75, beta: 0.5, padA: 3, padC: 1, seed: ++seed);
                float[] f1 = problem.CFloat(), f3 = problem.CFloat();
                one.Multiply(transA, transB, m, n, k, 0.75f, problem.AFloat, problem.Lda, problem.BFloat, problem.Ldb, 0.5f, f1, problem.Ldc);
                three.Multiply(transA, transB, m, n, k, 0.75f, problem.AFloat, problem.Lda, problem.BFloat, problem.Ldb, 0.5f, f3, problem.Ldc);
                CollectionAssert.AreEqual(f1, f3, $"float {m}×{n}×{k} transA={transA} transB={transB}");

                double[] d1 = problem.CDouble(), d3 = problem.CDouble();
                one.Multiply(transA, transB, m, n, k, 0.75, problem.A, problem.Lda, problem.B, problem.Ldb, 0.5, d1, problem.Ldc);
                three.Multiply(transA, transB, m, n, k, 0.75, problem.A, problem.Lda, problem.B, problem.Ldb, 0.5, d3, problem.Ldc);
                CollectionAssert.AreEqual(d1, d3, $"double {m}×{n}×{k} transA={transA} transB={transB}");
            }
        }

        Assert.IsGreaterThan(0L, three.WorkerLoopsJoined, "the workers took part");
    }

    [TestMethod]
    [DataRow(DType.Float32)]
    [DataRow(DType.Float64)]
    public void Session_ThreeThreads_EqualOneThread_Bitwise(DType dtype)
    {
        // Forward A·B (500 × 700 × 300) and its backward products dY·Bᵀ and Aᵀ·dY, all past one row of tiles.
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.Randn(new Shape(500, 300), seed: 1, dtype));
        Value b = g.Parameter("b", Tensor.Randn(new Shape(300, 700), seed: 2, dtype));
        Value y = a.MatMul(b);
        Value loss = (y * y).Sum();
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss], Outputs = [y] });

        (double[] Y, double[] GradA, double[] GradB) Run(int threads)
        {
            using var session = new Session(compiled, new SessionOptions { Threads = threads });
            session.Forward();
            session.Backward();
            return (session.Output(y).ToDoubleArray(), session.Grad(a)!.ToDoubleArray(), session.Grad(b)!.ToDoubleArray());
        }

        var expected = Run(1);
        var actual = Run(3);
        CollectionAssert.AreEqual(expected.Y, actual.Y, "A·B");
        CollectionAssert.AreEqual(expected.GradA, actual.GradA, "dY·Bᵀ");
        CollectionAssert.AreEqual(expected.GradB, actual.GradB, "Aᵀ·dY");
    }
}
