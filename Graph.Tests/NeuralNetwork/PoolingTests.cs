using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork;

/// <summary>max, average and adaptive average pooling: values worked by hand, PyTorch's tie and padding rules, and shape errors.</summary>
[TestClass]
public sealed class PoolingTests
{
    [TestMethod]
    public void MaxPool_WithTies_SendsTheGradientToTheFirstMaximum()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 3f, 3f, 0f, 3f, 2f, 1f, 3f], 1, 1, 2, 4));
        Value y = Ops.MaxPool2d(x, 2);
        Value loss = y.Sum();
        using Session session = Compile.Session(g, [loss], [y]);
        session.Forward();
        session.Backward();

        TensorAssert.AreEqual([3, 3], session.Output(y));
        // Left window (1, 3 / 3, 2): the 3 at (0, 1) comes first in row-major order; right window (3, 0 / 1, 3): the 3 at (0, 2).
        TensorAssert.AreEqual([0, 1, 1, 0, 0, 0, 0, 0], session.Grad(x));
    }

    [TestMethod]
    public void MaxPool_NaNIsTheMaximum_AndGetsTheGradient()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, float.NaN, 3f, 0f, 3f, 2f, 1f, float.NegativeInfinity], 1, 1, 2, 4));
        Value y = Ops.MaxPool2d(x, 2);
        Value loss = y.Sum();
        using Session session = Compile.Session(g, [loss], [y]);
        session.Forward();
        session.Backward();

        // As torch.max_pool2d: a window holding NaN pools to NaN, and the gradient goes to that NaN.
        float[] pooled = session.Output(y).ToArray<float>();
        Assert.IsTrue(float.IsNaN(pooled[0]));
        Assert.AreEqual(3f, pooled[1]);
        TensorAssert.AreEqual([0, 1, 1, 0, 0, 0, 0, 0], session.Grad(x));
    }

    /// <summary>
    /// Many ties, NaNs and −∞ on planes wide enough for the vector lanes and a scalar tail: the gradient of every
    /// window goes to its first maximum in row-major order, or its first NaN, as a scan of the window finds it (which
    /// is torch's rule) — including ties where a later column's maximum sits in an earlier row.
    /// </summary>
    [TestMethod]
    [DataRow(3, 2, 1, 11, DisplayName = "3×3 stride 2 padding 1, width 11")]
    [DataRow(3, 2, 1, 37, DisplayName = "3×3 stride 2 padding 1, width 37")]
    [DataRow(2, 2, 0, 20, DisplayName = "2×2 stride 2, width 20")]
    [DataRow(3, 1, 1, 19, DisplayName = "3×3 stride 1 padding 1, width 19")]
    public void MaxPool_GradientOnTiesAndNaNs_GoesWhereAWindowScanFindsTheFirstMaximum(int kernel, int stride, int padding, int width)
    {
        const int Height = 9;
        var random = new Random(kernel * 1000 + width);
        float[] values = Enumerable.Range(0, 2 * Height * width).Select(_ => random.Next(12) switch
        {
            0 => float.NaN,
            1 => float.NegativeInfinity,
            int v => (float)(v % 3),
        }).ToArray();
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray(values, 1, 2, Height, width));
        Value y = Ops.MaxPool2d(x, kernel, stride, padding);
        Value loss = y.Sum();
        using Session session = Compile.Session(g, [loss], [y]);
        session.Forward();
        session.Backward();

        int outHeight = y.Shape[2], outWidth = y.Shape[3];
        float[] expected = new float[values.Length];
        for (int plane = 0; plane < 2; plane++)
        {
            for (int oh = 0; oh < outHeight; oh++)
            {
                for (int ow = 0; ow < outWidth; ow++)
                {
                    expected[FirstMaximum(values, plane * Height * width, width, Height, (oh * stride) - padding, (ow * stride) - padding, kernel)] += 1f;
                }
            }
        }

        CollectionAssert.AreEqual(expected, session.Grad(x)!.ToArray<float>());
    }

    /// <summary>The window scan: the first element that is NaN or larger than every earlier one, in row-major order.</summary>
    private static int FirstMaximum(float[] x, int planeStart, int width, int height, int top, int left, int kernel)
    {
        int best = -1;
        float max = float.NegativeInfinity;
        for (int r = Math.Max(top, 0); r < Math.Min(top + kernel, height); r++)
        {
            for (int c = Math.Max(left, 0); c < Math.Min(left + kernel, width); c++)
            {
                float v = x[planeStart + (r * width) + c];
                if (best < 0 || float.IsNaN(v) || v > max)
                {
                    (best, max) = (planeStart + (r * width) + c, v);
                    if (float.IsNaN(v))
                    {
                        return best;
                    }
                }
            }
        }

        return best;
    }

    [TestMethod]
    public void MaxPool_Padding_CountsAsMinusInfinity()
    {
        var g = new GraphBuilder();
        Value y = Ops.MaxPool2d(g.Constant(Tensor.FromArray([-1.0, -2, -3, -4], 1, 1, 2, 2)), 2, stride: 1, padding: 1);

        Assert.AreEqual(new Shape(1, 1, 3, 3), y.Shape);
        TensorAssert.AreEqual([-1, -1, -2, -1, -1, -2, -3, -3, -4], Tensor.FromArray(Run.Forward(g, y)));
    }

    [TestMethod]
    public void MaxPool_StrideDefaultsToTheKernel_AndTheSizeRoundsDown()
    {
        var g = new GraphBuilder();
        Value y = Ops.MaxPool2d(g.Constant(Run.Counting(new Shape(1, 1, 5, 5))), 2);

        Assert.AreEqual(new Shape(1, 1, 2, 2), y.Shape);
        TensorAssert.AreEqual([6, 8, 16, 18], Tensor.FromArray(Run.Forward(g, y)));
    }

    [TestMethod]
    public void AvgPool_CountsPaddingInTheDivisor()
    {
        var g = new GraphBuilder();
        Value y = Ops.AvgPool2d(g.Constant(Tensor.Ones(new Shape(1, 1, 2, 2), DType.Float64)), 2, stride: 1, padding: 1);

        // A corner window holds one input element and three zeros of padding, and still divides by 4.
        TensorAssert.AreEqual([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25], Tensor.FromArray(Run.Forward(g, y)));
    }

    [TestMethod]
    public void AvgPool_3x3Stride2_WorkedByHand()
    {
        var g = new GraphBuilder();
        Value y = Ops.AvgPool2d(g.Constant(Run.Counting(new Shape(1, 1, 5, 5))), 3, stride: 2);

        // Window (0, 0) averages 0 1 2 / 5 6 7 / 10 11 12 = 6; each step of 2 adds 2 along a row and 10 down a column.
        TensorAssert.AreClose([6, 8, 16, 18], Tensor.FromArray(Run.Forward(g, y)), 1e-12);
    }

    [TestMethod]
    public void AdaptiveAvgPool_5To3_UsesPyTorchsOverlappingWindows()
    {
        var g = new GraphBuilder();
        Value y = Ops.AdaptiveAvgPool2d(g.Constant(Run.Counting(new Shape(1, 1, 5, 5))), 3, 3);

        // Windows ⌊i·5/3⌋..⌈(i + 1)·5/3⌉: rows {0, 1}, {1, 2, 3}, {3, 4}, with means 0.5, 2, 3.5; x = 5r + c, so y = 5·mean(rows) + mean(columns).
        TensorAssert.AreClose([3, 4.5, 6, 10.5, 12, 13.5, 18, 19.5, 21], Tensor.FromArray(Run.Forward(g, y)), 1e-12);
    }

    [TestMethod]
    public void AdaptiveAvgPool_ToOneByOne_IsTheGlobalMean()
    {
        var g = new GraphBuilder();
        Value y = Ops.AdaptiveAvgPool2d(g.Constant(Run.Counting(new Shape(2, 3, 4, 5))), 1, 1);

        Assert.AreEqual(new Shape(2, 3, 1, 1), y.Shape);
        TensorAssert.AreClose(Enumerable.Range(0, 6).Select(p => (20.0 * p) + 9.5).ToArray(), Tensor.FromArray(Run.Forward(g, y)), 1e-12);
    }

    [TestMethod]
    public void PaddingMoreThanHalfTheKernel_SaysSo()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.MaxPool2d(g.Input("x", new Shape(1, 1, 4, 4)), 2, padding: 2));
        StringAssert.Contains(e.Message, "more than half the kernel");
        StringAssert.Contains(e.Message, "[1, 1, 4, 4]");
    }

    [TestMethod]
    public void KernelLargerThanTheInput_NamesTheShape()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.AvgPool2d(g.Input("x", new Shape(1, 1, 2, 5)), 3));
        StringAssert.Contains(e.Message, "larger than the input [1, 1, 2, 5]");
    }

    [TestMethod]
    public void PoolingA3DInput_AsksFor4D()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.AdaptiveAvgPool2d(g.Input("x", new Shape(3, 4, 4)), 2, 2));
        StringAssert.Contains(e.Message, "must be 4-D");
    }
}
