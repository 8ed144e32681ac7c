namespace Graph.Tests.Runtime.Gemm;

/// <summary>Matrix-vector shapes (batch 1, a single output) in every layout, including strided vectors that must fall back.</summary>
[TestClass]
public sealed class GemmSkinnyTests
{
    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void RowAndColumnVectors_AllTransposesAndStrides_MatchReference(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        int seed = 0;
        foreach ((int m, int n, int k) in new[] { (1, 300, 257), (300, 1, 257), (1, 1, 1000), (1, 5000, 9), (5000, 1, 9), (1, 7, 3), (3, 1, 7) })
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    foreach (int pad in new[] { 0, 2 })
                    {
                        foreach ((double alpha, double beta) in new[] { (1.0, 0.0), (-0.5, 1.5), (2.0, 1.0) })
                        {
                            new GemmProblem(transA, transB, m, n, k, alpha, beta, padA: pad, padB: pad, padC: pad, seed: ++seed).RunBoth(workspace);
                        }
                    }
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void SmallK_OuterProducts_MatchReference(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        foreach (int k in new[] { 1, 2, 3 })
        {
            new GemmProblem(false, false, 70, 90, k, beta: 1, seed: k).RunBoth(workspace);
            new GemmProblem(true, true, 90, 70, k, seed: k).RunBoth(workspace);
        }
    }
}
