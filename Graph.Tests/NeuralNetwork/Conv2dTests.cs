using Graph.Core;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork;

/// <summary>conv2d's forward values: worked by hand, and against a direct six-loop reference for stride, padding, dilation and groups.</summary>
[TestClass]
public sealed class Conv2dTests
{
    // x[r][c] = 4r + c + 1 and w = [[1, 2, 0], [0, 1, 0], [0, 0, −1]], so y(oh, ow) = x[oh][ow] + 2·x[oh][ow + 1] + x[oh + 1][ow + 1] − x[oh + 2][ow + 2].
    private static readonly float[] s_input = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    private static readonly float[] s_weight = [1, 2, 0, 0, 1, 0, 0, 0, -1];

    [TestMethod]
    public void OneChannel3x3_On4x4_WorkedByHand()
    {
        var g = new GraphBuilder();
        Value x = g.Constant(Tensor.FromArray(s_input, 1, 1, 4, 4));
        Value w = g.Constant(Tensor.FromArray(s_weight, 1, 1, 3, 3));
        Value y = Ops.Conv2d(x, w, g.Constant(Tensor.FromArray([0.5f])));

        Assert.AreEqual(new Shape(1, 1, 2, 2), y.Shape);
        // (0,0): 1 + 2·2 + 6 − 11 = 0; (0,1): 2 + 2·3 + 7 − 12 = 3; (1,0): 5 + 2·6 + 10 − 15 = 12; (1,1): 6 + 2·7 + 11 − 16 = 15; each + 0.5.
        TensorAssert.AreEqual([0.5, 3.5, 12.5, 15.5], Tensor.FromArray(Run.Forward(g, y)));
    }

    [TestMethod]
    public void Padding1_ReadsZerosAroundTheInput()
    {
        var g = new GraphBuilder();
        Value x = g.Constant(Tensor.FromArray(s_input, 1, 1, 4, 4));
        Value w = g.Constant(Tensor.FromArray(s_weight, 1, 1, 3, 3));
        Value y = Ops.Conv2d(x, w, null, padding: 1);

        double[] values = Run.Forward(g, y);
        Assert.AreEqual(new Shape(1, 1, 4, 4), y.Shape);
        // Corner (0,0): only w[1][1]·x[0][0] and w[2][2]·x[1][1] fall inside: 1 − 6. Corner (3,3): w[0][0]·x[2][2] + 2·w[0][1]·x[2][3] + x[3][3] = 11 + 24 + 16.
        Assert.AreEqual(-5, values[0]);
        Assert.AreEqual(51, values[15]);
        TensorAssert.AreClose(Reference(s_input.Select(v => (double)v).ToArray(), [1, 1, 4, 4], s_weight.Select(v => (double)v).ToArray(), [1, 1, 3, 3], 1, 1, 1, 1), Tensor.FromArray(values));
    }

    [TestMethod]
    [DataRow(1, 0, 1, 1, DisplayName = "plain")]
    [DataRow(2, 1, 1, 1, DisplayName = "stride 2, padding 1")]
    [DataRow(1, 2, 2, 1, DisplayName = "dilation 2, padding 2")]
    [DataRow(3, 0, 1, 1, DisplayName = "stride 3 skips rows")]
    [DataRow(1, 1, 1, 2, DisplayName = "groups 2")]
    [DataRow(2, 1, 2, 4, DisplayName = "depthwise, stride 2, dilation 2")]
    public void Forward_MatchesDirectLoops(int stride, int padding, int dilation, int groups)
    {
        int[] xShape = [2, 4, 7, 6];
        int[] wShape = [8, 4 / groups, 3, 2];
        double[] xs = Tensor.Randn(new Shape(xShape), seed: 1, DType.Float64).ToDoubleArray();
        double[] ws = Tensor.Randn(new Shape(wShape), seed: 2, DType.Float64).ToDoubleArray();
        var g = new GraphBuilder();
        Value y = Ops.Conv2d(g.Constant(Tensor.FromArray(xs, xShape)), g.Constant(Tensor.FromArray(ws, wShape)), null, stride, padding, dilation, groups);

        TensorAssert.AreClose(Reference(xs, xShape, ws, wShape, stride, padding, dilation, groups), Tensor.FromArray(Run.Forward(g, y)), 1e-12);
    }

    [TestMethod]
    public void Pointwise_MatchesDirectLoops()
    {
        double[] xs = Tensor.Randn(new Shape(3, 5, 4, 4), seed: 3, DType.Float64).ToDoubleArray();
        double[] ws = Tensor.Randn(new Shape(6, 5, 1, 1), seed: 4, DType.Float64).ToDoubleArray();
        var g = new GraphBuilder();
        Value y = Ops.Conv2d(g.Constant(Tensor.FromArray(xs, 3, 5, 4, 4)), g.Constant(Tensor.FromArray(ws, 6, 5, 1, 1)), null);

        TensorAssert.AreClose(Reference(xs, [3, 5, 4, 4], ws, [6, 5, 1, 1], 1, 0, 1, 1), Tensor.FromArray(Run.Forward(g, y)), 1e-12);
    }

    [TestMethod]
    public void OutputSize_IsPyTorchsFormula()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3, 32, 17));
        // ⌊(32 + 2·2 − 3·(5 − 1) − 1) / 3⌋ + 1 = 8 and ⌊(17 + 4 − 3·2 − 1) / 3⌋ + 1 = 5.
        Value y = Ops.Conv2d(x, g.Input("w", new Shape(6, 3, 5, 3)), null, stride: 3, padding: 2, dilation: 3);
        Assert.AreEqual(new Shape(2, 6, 8, 5), y.Shape);
    }

    [TestMethod]
    public void ChannelMismatch_NamesBothShapes()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.Conv2d(g.Input("x", new Shape(1, 3, 5, 5)), g.Input("w", new Shape(4, 2, 3, 3)), null));
        StringAssert.Contains(e.Message, "conv2d");
        StringAssert.Contains(e.Message, "[4, 2, 3, 3]");
        StringAssert.Contains(e.Message, "[1, 3, 5, 5]");
        StringAssert.Contains(e.Message, "channels");
    }

    [TestMethod]
    public void GroupsNotDividingChannels_SaysSo()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.Conv2d(g.Input("x", new Shape(1, 3, 5, 5)), g.Input("w", new Shape(4, 1, 3, 3)), null, groups: 2));
        StringAssert.Contains(e.Message, "groups = 2 does not divide");
        StringAssert.Contains(e.Message, "[1, 3, 5, 5]");
    }

    [TestMethod]
    public void KernelLargerThanPaddedInput_SaysSo()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.Conv2d(g.Input("x", new Shape(1, 1, 4, 4)), g.Input("w", new Shape(1, 1, 3, 3)), null, dilation: 2));
        StringAssert.Contains(e.Message, "larger than the padded input");
        StringAssert.Contains(e.Message, "[1, 1, 4, 4]");
    }

    [TestMethod]
    public void StrideZero_IsOutOfRange()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.Conv2d(g.Input("x", new Shape(1, 1, 4, 4)), g.Input("w", new Shape(1, 1, 3, 3)), null, stride: 0));
        StringAssert.Contains(e.Message, "stride 0");
        StringAssert.Contains(e.Message, "out of range");
    }

    [TestMethod]
    public void BiasOfWrongSize_NamesTheOutputChannels()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.Conv2d(g.Input("x", new Shape(1, 2, 5, 5)), g.Input("w", new Shape(4, 2, 3, 3)), g.Input("b", new Shape(3))));
        StringAssert.Contains(e.Message, "'b'");
        StringAssert.Contains(e.Message, "[4]");
    }

    /// <summary>conv2d by its definition, one output element at a time.</summary>
    internal static double[] Reference(double[] x, int[] xShape, double[] w, int[] wShape, int stride, int padding, int dilation, int groups)
    {
        (int n, int c, int h, int wd) = (xShape[0], xShape[1], xShape[2], xShape[3]);
        (int o, int cg, int kh, int kw) = (wShape[0], wShape[1], wShape[2], wShape[3]);
        int oh = ((h + (2 * padding) - (dilation * (kh - 1)) - 1) / stride) + 1;
        int ow = ((wd + (2 * padding) - (dilation * (kw - 1)) - 1) / stride) + 1;
        var y = new double[n * o * oh * ow];
        int og = o / groups;
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                for (int r = 0; r < oh; r++)
                {
                    for (int s = 0; s < ow; s++)
                    {
                        double sum = 0;
                        for (int ic = 0; ic < cg; ic++)
                        {
                            for (int i = 0; i < kh; i++)
                            {
                                for (int j = 0; j < kw; j++)
                                {
                                    int ih = (r * stride) - padding + (i * dilation);
                                    int iw = (s * stride) - padding + (j * dilation);
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd)
                                    {
                                        int channel = ((oc / og) * cg) + ic;
                                        sum += x[(((b * c) + channel) * h * wd) + (ih * wd) + iw] * w[(((oc * cg) + ic) * kh * kw) + (i * kw) + j];
                                    }
                                }
                            }
                        }

                        y[(((b * o) + oc) * oh * ow) + (r * ow) + s] = sum;
                    }
                }
            }
        }

        return y;
    }
}
