using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>Bad shapes, strides and spans are rejected at the entry with a clear message, before any pointer is used.</summary>
[TestClass]
public sealed class GemmArgumentTests
{
    private static readonly GemmWorkspace s_workspace = new();

    [TestMethod]
    public void ShortSpans_Throw()
    {
        float[] a = new float[6], b = new float[12], c = new float[8];

        // op(A) 2 × 3, op(B) 3 × 4, C 2 × 4: exactly enough.
        Multiply(false, false, 2, 4, 3, a, 3, b, 4, c, 4);

        var e = Assert.Throws<ArgumentException>(() => Multiply(false, false, 2, 4, 3, a.AsSpan(1).ToArray(), 3, b, 4, c, 4));
        Assert.AreEqual("a", e.ParamName);
        Assert.Contains("needs 6", e.Message);
        Assert.AreEqual("b", Assert.Throws<ArgumentException>(() => Multiply(false, false, 2, 4, 3, a, 3, new float[11], 4, c, 4)).ParamName);
        Assert.AreEqual("c", Assert.Throws<ArgumentException>(() => Multiply(false, false, 2, 4, 3, a, 3, b, 4, new float[7], 4)).ParamName);

        // Transposed A is stored 3 × 2; a larger lda needs a longer span.
        Assert.AreEqual("a", Assert.Throws<ArgumentException>(() => Multiply(true, false, 2, 4, 3, a, 3, b, 4, c, 4)).ParamName);
    }

    [TestMethod]
    public void LeadingDimensionShorterThanRow_Throws()
    {
        float[] big = new float[100];
        Assert.AreEqual("lda", Assert.Throws<ArgumentException>(() => Multiply(false, false, 2, 4, 3, big, 2, big, 4, big, 4)).ParamName);
        Assert.AreEqual("lda", Assert.Throws<ArgumentException>(() => Multiply(true, false, 5, 4, 3, big, 4, big, 4, big, 4)).ParamName);
        Assert.AreEqual("ldb", Assert.Throws<ArgumentException>(() => Multiply(false, true, 2, 4, 3, big, 3, big, 2, big, 4)).ParamName);
        Assert.AreEqual("ldc", Assert.Throws<ArgumentException>(() => Multiply(false, false, 2, 4, 3, big, 3, big, 4, big, 3)).ParamName);
        Assert.AreEqual("ldc", Assert.Throws<ArgumentException>(() => Multiply(false, false, 2, 0, 3, big, 3, big, 1, big, 0)).ParamName);
    }

    [TestMethod]
    public void NegativeDimensionsOrNullWorkspace_Throw()
    {
        float[] big = new float[100];
        Assert.Throws<ArgumentException>(() => Multiply(false, false, -1, 4, 3, big, 3, big, 4, big, 4));
        Assert.Throws<ArgumentException>(() => Multiply(false, false, 2, 4, -3, big, 3, big, 4, big, 4));
        Assert.Throws<ArgumentNullException>(() =>
            Graph.Runtime.Kernels.Gemm.Multiply(false, false, 1, 1, 1, 1.0, new double[1], 1, new double[1], 1, 0.0, new double[1], 1, null!));
    }

    [TestMethod]
    public void RegionOutsideC_Throws()
    {
        double[] big = new double[100];
        Assert.AreEqual("rowStart", Assert.Throws<ArgumentException>(() =>
            Graph.Runtime.Kernels.Gemm.MultiplyRegion(false, false, 2, 4, 3, 1.0, big, 3, big, 4, 0.0, big, 4, 1, 3, 0, 4, s_workspace)).ParamName);
        Assert.AreEqual("colStart", Assert.Throws<ArgumentException>(() =>
            Graph.Runtime.Kernels.Gemm.MultiplyRegion(false, false, 2, 4, 3, 1.0, big, 3, big, 4, 0.0, big, 4, 0, 2, 3, 2, s_workspace)).ParamName);
    }

    private static void Multiply(bool transA, bool transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc) =>
        Graph.Runtime.Kernels.Gemm.Multiply(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc, s_workspace);
}
