using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>The BLAS conventions: beta zero ignores C, alpha zero or k zero ignores A and B, empty shapes do nothing.</summary>
[TestClass]
public sealed class GemmSpecialValueTests
{
    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void BetaZero_NaNFilledC_IsOverwrittenWithFiniteResults(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        int seed = 0;
        foreach ((int m, int n, int k) in new[] { (1, 1, 1), (1, 50, 20), (50, 1, 20), (7, 9, 11), (70, 90, 300) })
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    var problem = new GemmProblem(transA, transB, m, n, k, alpha: 1.5, beta: 0, nanC: true, seed: ++seed);
                    problem.RunBoth(workspace);
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void AlphaZero_DoesNotReadAOrB(string path)
    {
        var workspace = GemmPaths.Workspace(path);
        float[] a = [float.NaN, float.NaN, float.NaN, float.NaN];
        float[] b = [float.PositiveInfinity, float.NaN, float.NaN, float.NaN];
        float[] c = [1, 2, 3, 4];
        Graph.Runtime.Kernels.Gemm.Multiply(false, false, 2, 2, 2, 0f, a, 2, b, 2, 3f, c, 2, workspace);
        CollectionAssert.AreEqual(new float[] { 3, 6, 9, 12 }, c);

        float[] nanC = [float.NaN, float.NaN, float.NaN, float.NaN];
        Graph.Runtime.Kernels.Gemm.Multiply(false, false, 2, 2, 2, 0f, a, 2, b, 2, 0f, nanC, 2, workspace);
        CollectionAssert.AreEqual(new float[] { 0, 0, 0, 0 }, nanC);
    }

    [TestMethod]
    public void KZero_ScalesC()
    {
        var workspace = new GemmWorkspace();
        double[] c = [1, 2, 3, 4, 5, 6];
        Graph.Runtime.Kernels.Gemm.Multiply(false, false, 2, 3, 0, 1.0, ReadOnlySpan<double>.Empty, 1, ReadOnlySpan<double>.Empty, 3, -2.0, c, 3, workspace);
        CollectionAssert.AreEqual(new double[] { -2, -4, -6, -8, -10, -12 }, c);

        double[] nanC = [double.NaN, double.NaN];
        Graph.Runtime.Kernels.Gemm.Multiply(true, true, 1, 2, 0, 1.0, ReadOnlySpan<double>.Empty, 1, ReadOnlySpan<double>.Empty, 1, 0.0, nanC, 2, workspace);
        CollectionAssert.AreEqual(new double[] { 0, 0 }, nanC);
    }

    [TestMethod]
    public void EmptyOutput_TouchesNothing()
    {
        var workspace = new GemmWorkspace();
        float[] c = [42];
        Graph.Runtime.Kernels.Gemm.Multiply(false, false, 0, 5, 3, 1f, ReadOnlySpan<float>.Empty, 3, new float[15], 5, 0f, Span<float>.Empty, 5, workspace);
        Graph.Runtime.Kernels.Gemm.Multiply(false, false, 1, 0, 3, 1f, new float[3], 3, ReadOnlySpan<float>.Empty, 1, 0f, c, 1, workspace);
        Assert.AreEqual(42f, c[0]);
    }

    [TestMethod]
    [DynamicData(nameof(GemmPaths.Supported), typeof(GemmPaths))]
    public void InfinityTimesZero_PropagatesNaN_LikeTheReference(string path)
    {
        // The packing pads with zeros; those must never meet a real Inf (which would turn a padded lane into NaN
        // that leaks into C), and a real 0 · Inf inside the product must give NaN.
        var workspace = GemmPaths.Workspace(path);
        int m = 9, n = 33, k = 5;
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        Array.Fill(b, double.PositiveInfinity);
        a[0] = 0;
        for (int i = 1; i < a.Length; i++)
        {
            a[i] = 1;
        }

        double[] c = new double[m * n];
        Graph.Runtime.Kernels.Gemm.Multiply(false, false, m, n, k, 1.0, a, k, b, n, 0.0, c, n, workspace);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Row 0 has a 0 · Inf term; every other row is a sum of +Inf.
                Assert.AreEqual(i == 0 ? double.NaN : double.PositiveInfinity, c[(i * n) + j], $"C[{i},{j}]");
            }
        }
    }
}
