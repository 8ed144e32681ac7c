using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork;

/// <summary>
/// The convolution kernels (forward, input gradient, weight gradient) against the convolution's definition, on the
/// shapes that take different paths through them: pointwise, strided 1×1, the 7×7 stem, groups, padding past the
/// kernel's half, dilation, batch 1, channel counts that are not multiples of 16, and batches cut into several
/// sample blocks; and the same bits for every thread count.
/// </summary>
[TestClass]
public sealed class Conv2dKernelTests
{
    [TestMethod]
    [DataRow(4, 5, 6, 7, 1, 1, 0, 1, 1, DisplayName = "pointwise 1×1, batch 4")]
    [DataRow(1, 5, 6, 3, 1, 1, 0, 1, 1, DisplayName = "pointwise 1×1, batch 1")]
    [DataRow(3, 6, 7, 5, 1, 2, 0, 1, 1, DisplayName = "1×1, stride 2")]
    [DataRow(2, 17, 9, 19, 3, 2, 1, 1, 1, DisplayName = "3×3, stride 2, padding 1, 17 → 19 channels")]
    [DataRow(1, 18, 8, 20, 3, 1, 1, 1, 1, DisplayName = "3×3, batch 1")]
    [DataRow(2, 3, 20, 8, 7, 2, 3, 1, 1, DisplayName = "7×7 stem, stride 2, padding 3")]
    [DataRow(2, 6, 7, 9, 3, 1, 1, 1, 3, DisplayName = "groups 3")]
    [DataRow(3, 4, 6, 4, 3, 2, 1, 1, 4, DisplayName = "depthwise, stride 2")]
    [DataRow(2, 3, 5, 4, 3, 1, 3, 1, 1, DisplayName = "padding 3 around a 3×3 kernel")]
    [DataRow(2, 3, 9, 5, 3, 1, 1, 2, 1, DisplayName = "dilation 2")]
    [DataRow(2, 2, 11, 3, 2, 3, 4, 3, 1, DisplayName = "2×2, stride 3, padding 4, dilation 3")]
    [DataRow(3, 1, 280, 2, 3, 1, 0, 1, 1, DisplayName = "3×3 in blocks of 2 samples, the last alone")]
    [DataRow(3, 1, 600, 1, 1, 1, 0, 1, 1, DisplayName = "pointwise in blocks of 2 samples, the last alone")]
    [DataRow(3, 4, 5, 6, 3, 1, 1, 1, 1, DisplayName = "3×3 on 5×5, column panels spanning output rows and samples")]
    [DataRow(1, 24, 3, 20, 3, 1, 1, 1, 1, DisplayName = "3×3, stride 1, weights larger than the columns (transposed input gradient)")]
    [DataRow(1, 6, 2, 5, 3, 1, 1, 1, 1, DisplayName = "3×3 on 2×2, batch 1 (a product too narrow to pack from the input)")]
    public void ForwardAndBothGradients_MatchTheDefinition(int batch, int channels, int height, int outChannels, int kernel, int stride, int padding, int dilation, int groups)
    {
        AssertMatchesTheDefinition(new Problem(batch, channels, height, outChannels, kernel, stride, padding, dilation, groups, DType.Float64), 1e-9);
    }

    /// <summary>The shapes above that are meant to take each path do take it: the choice is the geometry's alone.</summary>
    [TestMethod]
    [DataRow(3, 4, 5, 6, 3, 1, 1, true, true, DisplayName = "implicit columns, input gradient as a convolution")]
    [DataRow(1, 24, 3, 20, 3, 1, 1, true, false, DisplayName = "implicit columns, transposed input gradient")]
    [DataRow(1, 6, 2, 5, 3, 1, 1, false, false, DisplayName = "columns written out (narrow), transposed input gradient")]
    [DataRow(2, 17, 9, 19, 3, 2, 1, true, false, DisplayName = "stride 2: transposed input gradient")]
    [DataRow(2, 3, 5, 4, 3, 1, 3, true, false, DisplayName = "padding past the kernel's reach: transposed input gradient")]
    public void Paths_FollowFromTheShapes(int batch, int channels, int height, int outChannels, int kernel, int stride, int padding, bool implicitColumns, bool inputGradientAsConvolution)
    {
        int outSize = ((height + (2 * padding) - kernel) / stride) + 1;
        OpAttributes attributes = OpAttributes.Empty.With("stride", stride).With("padding", padding).With("dilation", 1).With("groups", 1);
        var g = new Graph.Runtime.Kernels.Conv2dGeometry(
            new Shape(batch, channels, height, height), new Shape(outChannels, channels, kernel, kernel), new Shape(batch, outChannels, outSize, outSize), attributes, sizeof(double));

        Assert.AreEqual(implicitColumns, g.PacksColumnsFromInput(batch), "forward and weight-gradient columns packed from the input");
        Assert.AreEqual(inputGradientAsConvolution, g.InputGradientAsConvolution, "input gradient as a convolution");
    }

    /// <summary>Wide enough rows (36 outputs) that the vectorized float32 runs of im2col and col2im take part.</summary>
    [TestMethod]
    [DataRow(2, 3, 70, 8, 7, 2, 3, DisplayName = "7×7 stem, stride 2, padding 3, float32")]
    [DataRow(2, 5, 70, 6, 1, 2, 0, DisplayName = "1×1, stride 2, float32")]
    [DataRow(2, 4, 71, 6, 3, 2, 1, DisplayName = "3×3, stride 2, padding 1, float32")]
    [DataRow(2, 4, 40, 6, 3, 1, 1, DisplayName = "3×3, float32")]
    public void Float32_MatchesTheDefinition(int batch, int channels, int height, int outChannels, int kernel, int stride, int padding)
    {
        AssertMatchesTheDefinition(new Problem(batch, channels, height, outChannels, kernel, stride, padding, 1, 1, DType.Float32), 1e-3);
    }

    [TestMethod]
    [DataRow(8, 3, 32, 16, 7, 2, 3, 1, 1, "float32", DisplayName = "7×7 stem, float32")]
    [DataRow(8, 20, 8, 24, 3, 1, 1, 1, 1, "float32", DisplayName = "3×3, float32")]
    [DataRow(8, 24, 8, 40, 1, 2, 0, 1, 1, "float32", DisplayName = "1×1 stride 2, float32")]
    [DataRow(8, 24, 8, 40, 1, 1, 0, 1, 1, "float32", DisplayName = "pointwise, float32")]
    [DataRow(8, 16, 4, 32, 3, 2, 1, 1, 2, "float32", DisplayName = "3×3 stride 2, groups 2, float32")]
    [DataRow(1, 20, 16, 24, 3, 1, 1, 1, 1, "float32", DisplayName = "3×3, batch 1, float32")]
    [DataRow(3, 1, 280, 2, 3, 1, 0, 1, 1, "float64", DisplayName = "3×3 in blocks of 2 samples, float64")]
    [DataRow(4, 20, 8, 24, 3, 2, 2, 2, 1, "float64", DisplayName = "3×3 stride 2 dilation 2, float64")]
    public void OneAndThreeThreads_GiveTheSameBits(int batch, int channels, int height, int outChannels, int kernel, int stride, int padding, int dilation, int groups, string dtype)
    {
        var problem = new Problem(batch, channels, height, outChannels, kernel, stride, padding, dilation, groups, dtype == "float32" ? DType.Float32 : DType.Float64);
        using Session one = problem.Open(threads: 1);
        using Session three = problem.Open(threads: 3);

        AssertSameBits(one.Output(problem.Y), three.Output(problem.Y), "y");
        AssertSameBits(one.Grad(problem.X), three.Grad(problem.X), "dx");
        AssertSameBits(one.Grad(problem.W), three.Grad(problem.W), "dw");
    }

    private static void AssertMatchesTheDefinition(Problem problem, double tolerance)
    {
        (double[] y, double[] dx, double[] dw) = problem.Reference();
        using Session session = problem.Open(threads: 2);
        TensorAssert.AreClose(y, session.Output(problem.Y), tolerance, "y");
        TensorAssert.AreClose(dx, session.Grad(problem.X), tolerance, "dx");
        TensorAssert.AreClose(dw, session.Grad(problem.W), tolerance, "dw");
    }

    private static void AssertSameBits(Tensor? expected, Tensor? actual, string what)
    {
        Assert.IsNotNull(expected);
        Assert.IsNotNull(actual);
        double[] e = expected.ToDoubleArray();
        double[] a = actual.ToDoubleArray();
        Assert.HasCount(e.Length, a);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(e[i]), BitConverter.DoubleToInt64Bits(a[i]), $"{what} element {i}: {e[i]} against {a[i]}");
        }
    }

    /// <summary>
    /// loss = Σ conv2d(x, w) ⊙ u for random x, w and a random upstream gradient u, so that the backward pass runs
    /// both gradient kernels on a gradient that is not all ones. The input is <c>height</c> × <c>height + 1</c>.
    /// </summary>
    private sealed class Problem
    {
        private readonly int[] _xShape;
        private readonly int[] _wShape;
        private readonly int _stride;
        private readonly int _padding;
        private readonly int _dilation;
        private readonly int _groups;
        private readonly ComputeGraph _graph;
        private readonly Value _loss;
        private readonly double[] _xValues;
        private readonly double[] _wValues;

        public Problem(int batch, int channels, int height, int outChannels, int kernel, int stride, int padding, int dilation, int groups, DType dtype)
        {
            (_stride, _padding, _dilation, _groups) = (stride, padding, dilation, groups);
            _xShape = [batch, channels, height, height + 1];
            _wShape = [outChannels, channels / groups, kernel, kernel];
            Tensor x = Tensor.Randn(new Shape(_xShape), seed: 1, dtype);
            Tensor w = Tensor.Randn(new Shape(_wShape), seed: 2, dtype);
            (_xValues, _wValues) = (x.ToDoubleArray(), w.ToDoubleArray());
            var g = new GraphBuilder();
            X = g.Parameter("x", x);
            W = g.Parameter("w", w);
            Y = Ops.Conv2d(X, W, null, stride, padding, dilation, groups);
            Upstream = Tensor.Randn(Y.Shape, seed: 3, dtype);
            _loss = (Y * g.Constant(Upstream)).Sum();
            _graph = g.Build();
        }

        public Value X { get; }

        public Value W { get; }

        public Value Y { get; }

        private Tensor Upstream { get; }

        /// <summary>A session that has run one forward and one backward pass.</summary>
        public Session Open(int threads)
        {
            var session = new Session(GraphCompiler.Compile(_graph, new CompileOptions { Outputs = [Y], GradientRoots = [_loss] }), new SessionOptions { Threads = threads });
            session.Forward();
            session.Backward();
            return session;
        }

        /// <summary>y, dx = ∂loss/∂x and dw = ∂loss/∂w by the definition, one product at a time.</summary>
        public (double[] Y, double[] Dx, double[] Dw) Reference()
        {
            (double[] x, double[] w) = (_xValues, _wValues);
            double[] u = Upstream.ToDoubleArray();
            (int n, int c, int h, int wd) = (_xShape[0], _xShape[1], _xShape[2], _xShape[3]);
            (int o, int cg, int kh, int kw) = (_wShape[0], _wShape[1], _wShape[2], _wShape[3]);
            (int oh, int ow) = (Y.Shape[2], Y.Shape[3]);
            int og = o / _groups;
            var y = new double[n * o * oh * ow];
            var dx = new double[x.Length];
            var dw = new double[w.Length];
            for (int b = 0; b < n; b++)
            {
                for (int oc = 0; oc < o; oc++)
                {
                    for (int r = 0; r < oh; r++)
                    {
                        for (int s = 0; s < ow; s++)
                        {
                            int yi = (((b * o) + oc) * oh * ow) + (r * ow) + s;
                            for (int ic = 0; ic < cg; ic++)
                            {
                                for (int i = 0; i < kh; i++)
                                {
                                    for (int j = 0; j < kw; j++)
                                    {
                                        int ih = (r * _stride) - _padding + (i * _dilation);
                                        int iw = (s * _stride) - _padding + (j * _dilation);
                                        if (ih >= 0 && ih < h && iw >= 0 && iw < wd)
                                        {
                                            int xi = (((b * c) + ((oc / og) * cg) + ic) * h * wd) + (ih * wd) + iw;
                                            int wi = (((oc * cg) + ic) * kh * kw) + (i * kw) + j;
                                            y[yi] += x[xi] * w[wi];
                                            dx[xi] += u[yi] * w[wi];
                                            dw[wi] += u[yi] * x[xi];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }

            return (y, dx, dw);
        }
    }
}
