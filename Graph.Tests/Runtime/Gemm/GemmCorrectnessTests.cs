namespace Graph.Tests.Runtime.Gemm;

/// <summary>Every kernel path, both precisions, all four transpose combinations, sizes around every tile edge.</summary>
[TestClass]
public sealed class GemmCorrectnessTests
{
    // Around the micro-tile edges of every kernel (Mr 4/6/8, Nr 4/8/16/32) and the block edges.
    private static readonly int[] s_edgeSizes = [1, 2, 3, 5, 7, 15, 16, 17, 31, 33, 63, 65, 127, 129];

    private static readonly (bool TransA, bool TransB)[] s_transposes = [(false, false), (false, true), (true, false), (true, true)];

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void EdgeSizes_AllTransposes_MatchReference(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        int seed = 0;
        foreach (int s in s_edgeSizes)
        {
            foreach ((int m, int n, int k) in new[] { (s, s, s), (s, 17, 33), (33, s, 7), (7, 65, s), (s, 129 - s + 1, 16) })
            {
                foreach ((bool transA, bool transB) in s_transposes)
                {
                    new GemmProblem(transA, transB, m, n, k, seed: ++seed).RunBoth(workspace);
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void LargerThanOneBlock_AllTransposes_MatchReference(string path)
    {
        // 300 crosses the Kc slices (128/256), so later slices must accumulate onto the first one's beta; 600 crosses Mc.
        var workspace = GemmPaths.Workspace(path);
        foreach ((bool transA, bool transB) in s_transposes)
        {
            new GemmProblem(transA, transB, 257, 129, 300, alpha: 0.75, beta: -1.5, seed: 7).RunBoth(workspace);
            new GemmProblem(transA, transB, 600, 70, 520, alpha: 1, beta: 0, seed: 8).RunBoth(workspace);

            // Wider than one Nc block of every kernel.
            new GemmProblem(transA, transB, 9, 4200, 20, alpha: 1, beta: 1, seed: 9).RunBoth(workspace);
        }
    }

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void AlphaBetaVariants_MatchReference(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        (double Alpha, double Beta)[] scalars = [(1, 0), (1, 1), (-0.5, 2), (2.5, -1), (0, 0.5), (0, 0), (-1, 0)];
        int seed = 100;
        foreach ((double alpha, double beta) in scalars)
        {
            foreach ((bool transA, bool transB) in s_transposes)
            {
                new GemmProblem(transA, transB, 19, 37, 41, alpha, beta, seed: ++seed).RunBoth(workspace);
                new GemmProblem(transA, transB, 64, 64, 300, alpha, beta, seed: ++seed).RunBoth(workspace);
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void LeadingDimensionsLongerThanRows_MatchReferenceAndKeepPadding(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        int seed = 200;
        foreach ((bool transA, bool transB) in s_transposes)
        {
            foreach ((int m, int n, int k) in new[] { (33, 47, 29), (8, 32, 256), (65, 3, 17), (1, 40, 30), (40, 1, 30) })
            {
                new GemmProblem(transA, transB, m, n, k, alpha: 1.25, beta: 0.5, padA: 3, padB: 5, padC: 7, seed: ++seed).RunBoth(workspace);
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void SameWorkspaceAcrossShapes_GivesIndependentResults(string path)
    {
        // A large product leaves packed data behind; a smaller one afterwards must not pick any of it up.
        var workspace = GemmPaths.Workspace(path);
        new GemmProblem(false, false, 200, 200, 200, seed: 1).RunBoth(workspace);
        new GemmProblem(true, true, 9, 11, 13, seed: 2).RunBoth(workspace);
        new GemmProblem(false, true, 200, 3, 5, seed: 3).RunBoth(workspace);
    }
}
