using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>MultiplyRegion computes exactly its rectangle of C: the split point callers use to run threads.</summary>
[TestClass]
public sealed class GemmRegionTests
{
    [TestMethod]
    [DataRow(false, false)]
    [DataRow(false, true)]
    [DataRow(true, false)]
    [DataRow(true, true)]
    public void Region_WritesOnlyItsRectangle(bool transA, bool transB)
    {
        var workspace = new GemmWorkspace();
        var problem = new GemmProblem(transA, transB, 70, 90, 45, alpha: 1.5, beta: 0.5, padA: 1, padB: 2, padC: 3, seed: 5);
        foreach ((int r0, int r1, int c0, int c1) in new[] { (0, 70, 0, 90), (10, 43, 0, 90), (0, 70, 33, 34), (69, 70, 5, 80), (5, 5, 0, 90), (17, 60, 31, 89) })
        {
            double[] c = problem.CDouble();
            Graph.Runtime.Kernels.Gemm.MultiplyRegion(
                transA, transB, problem.M, problem.N, problem.K, problem.Alpha, problem.A, problem.Lda, problem.B, problem.Ldb,
                problem.Beta, c, problem.Ldc, r0, r1, c0, c1, workspace);
            problem.CheckRegion(c, r0, r1, c0, c1);
        }
    }

    [TestMethod]
    public void DisjointRegionsOnTwoThreads_EqualTheWholeProduct()
    {
        var problem = new GemmProblem(false, true, 130, 77, 200, alpha: 1, beta: 1, seed: 9);
        float[] c = problem.CFloat();
        float[] a = problem.AFloat, b = problem.BFloat;
        var top = new Thread(() => Graph.Runtime.Kernels.Gemm.MultiplyRegion(
            false, true, 130, 77, 200, 1f, a, problem.Lda, b, problem.Ldb, 1f, c, problem.Ldc, 0, 64, 0, 77, new GemmWorkspace()));
        top.Start();
        Graph.Runtime.Kernels.Gemm.MultiplyRegion(
            false, true, 130, 77, 200, 1f, a, problem.Lda, b, problem.Ldb, 1f, c, problem.Ldc, 64, 130, 0, 77, new GemmWorkspace());
        top.Join();
        problem.Check(c);
    }
}
