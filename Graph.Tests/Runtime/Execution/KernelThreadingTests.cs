using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Execution;

/// <summary>
/// Reductions, softmax, losses, batch norm, pooling, dropout masks and strided copies split large work into fixed
/// parts (columns, channels, planes, rows, chunks): forward values and gradients are bitwise the same on 1 and 3
/// threads, and still the right numbers.
/// </summary>
[TestClass]
public sealed class KernelThreadingTests
{
    [TestMethod]
    public void SumOverRows_SplitIntoColumnPieces_AddsEachColumnInRowOrder()
    {
        Tensor x = TestModels.Uniform(new Shape(300, 1000), 1, seed: 1);
        float[] actual = Run(x, v => v.Sum([0]));

        // Column pieces keep every output's row order: exactly the one-thread float sums.
        float[] values = x.ToArray<float>();
        float[] expected = new float[1000];
        for (int r = 0; r < 300; r++)
        {
            for (int c = 0; c < 1000; c++)
            {
                expected[c] += values[(r * 1000) + c];
            }
        }

        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void SumOverBatchAndPlane_SplitByChannel_MatchesDoubleSums()
    {
        Tensor x = TestModels.Uniform(new Shape(4, 64, 32, 32), 1, seed: 2);
        float[] actual = Run(x, v => v.Sum([0, 2, 3]));
        double[] values = x.ToDoubleArray();
        double[] expected = new double[64];
        for (int i = 0; i < values.Length; i++)
        {
            expected[i / 1024 % 64] += values[i];
        }

        AssertClose(expected, actual, 1e-3);
    }

    [TestMethod]
    public void MeanOfEverything_SummedInChunks_MatchesTheDoubleMean()
    {
        const int Length = (5 * 65536) + 123;
        Tensor x = TestModels.Uniform(new Shape(Length), 1, seed: 3);
        float[] actual = Run(x, v => v.Mean());
        AssertClose([x.ToDoubleArray().Average()], actual, 1e-6);
    }

    [TestMethod]
    public void MaxAlongTheFirstAxis_SplitIntoColumnPieces_IsExact()
    {
        Tensor x = TestModels.Uniform(new Shape(300, 1000), 1, seed: 4);
        float[] actual = Run(x, v => v.Max(0));
        float[] values = x.ToArray<float>();
        float[] expected = Enumerable.Range(0, 1000).Select(c => Enumerable.Range(0, 300).Max(r => values[(r * 1000) + c])).ToArray();
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Softmax_SplitByRowsOrBlocks_SumsToOneAlongItsAxis(int rank)
    {
        // Rank 1 of the axis: rows of 100 (inner 1); rank 2: 8 blocks of 50 × 2000 normalized along the 50.
        Shape shape = rank == 1 ? new Shape(3000, 100) : new Shape(8, 50, 2000);
        Tensor x = TestModels.Uniform(shape, 3, seed: 5);
        float[] y = Run(x, v => Ops.Softmax(v, 1));
        int size = shape[1];
        int inner = rank == 1 ? 1 : shape[2];
        for (int block = 0; block < shape[0]; block++)
        {
            for (int i = 0; i < inner; i += 97)
            {
                double total = Enumerable.Range(0, size).Sum(k => (double)y[(((block * size) + k) * inner) + i]);
                Assert.AreEqual(1.0, total, 1e-5, $"block {block}, column {i}");
            }
        }
    }

    [TestMethod]
    public void MseLoss_SummedInChunks_MatchesTheDoubleMean()
    {
        const int Length = (4 * 65536) + 5;
        Tensor x = TestModels.Uniform(new Shape(Length), 1, seed: 6);
        Tensor target = TestModels.Uniform(new Shape(Length), 1, seed: 7);
        float[] actual = Run(x, v => Ops.MseLoss(v, v.Builder.Constant(target)));
        double[] a = x.ToDoubleArray();
        double[] b = target.ToDoubleArray();
        AssertClose([a.Select((v, i) => (v - b[i]) * (v - b[i])).Average()], actual, 1e-6);
    }

    [TestMethod]
    public void Transpose_SplitIntoRuns_IsExact()
    {
        Tensor x = TestModels.Uniform(new Shape(700, 500), 1, seed: 8);
        float[] actual = Run(x, v => v.T());
        float[] values = x.ToArray<float>();
        float[] expected = Enumerable.Range(0, 500 * 700).Select(i => values[(i % 700 * 500) + (i / 700)]).ToArray();
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void ReshapeOfALeaf_CopiedInParts_IsExact()
    {
        // A leaf is not an arena intermediate, so its reshape is a copy rather than a view.
        Tensor x = TestModels.Uniform(new Shape(3, 100_001), 1, seed: 14);
        float[] actual = Run(x, v => v.Reshape(100_001, 3));
        CollectionAssert.AreEqual(x.ToArray<float>(), actual);
    }

    [TestMethod]
    public void ConcatSliceAndPad_SplitIntoRows_AreExact()
    {
        const int Rows = 3000;
        Tensor x = TestModels.Uniform(new Shape(Rows, 100), 1, seed: 15);
        float[] v = x.ToArray<float>();

        float[] concat = Run(x, t => Ops.Concat([t, Ops.Slice(t, 1, 0, 40)], 1));
        float[] slice = Run(x, t => Ops.Slice(t, 1, 10, 70));
        float[] pad = Run(x, t => Ops.Pad(t, 1, 3, 5));

        CollectionAssert.AreEqual(Enumerable.Range(0, Rows * 140).Select(i => v[(i / 140 * 100) + (i % 140 < 100 ? i % 140 : i % 140 - 100)]).ToArray(), concat);
        CollectionAssert.AreEqual(Enumerable.Range(0, Rows * 60).Select(i => v[(i / 60 * 100) + 10 + (i % 60)]).ToArray(), slice);
        CollectionAssert.AreEqual(Enumerable.Range(0, Rows * 108).Select(i => i % 108 is >= 3 and < 103 ? v[(i / 108 * 100) + (i % 108) - 3] : 0f).ToArray(), pad);
    }

    [TestMethod]
    public void Pooling_SplitByPlane_ForwardAndBackwardMatchOnEveryThreadCount()
    {
        Tensor x = TestModels.Uniform(new Shape(4, 16, 64, 64), 1, seed: 9);
        float[] values = x.ToArray<float>();
        float At(int plane, int h, int w) => values[(plane * 4096) + (h * 64) + w];

        // 2×2 windows, stride 2: every plane's every window, against the plain loops.
        float[] max = Run(x, v => Ops.MaxPool2d(v, 2));
        float[] average = Run(x, v => Ops.AvgPool2d(v, 2));
        for (int i = 0; i < max.Length; i++)
        {
            (int plane, int oh, int ow) = (i / 1024, i / 32 % 32, i % 32);
            float[] window = [At(plane, 2 * oh, 2 * ow), At(plane, 2 * oh, (2 * ow) + 1), At(plane, (2 * oh) + 1, 2 * ow), At(plane, (2 * oh) + 1, (2 * ow) + 1)];
            Assert.AreEqual(window.Max(), max[i], $"max window {i}");
            Assert.AreEqual(window.Average(), average[i], 1e-6, $"average window {i}");
        }

        Run(x, v => Ops.MaxPool2d(v, 3, 2, 1));
        Run(x, v => Ops.AdaptiveAvgPool2d(v, 3, 5));
    }

    [TestMethod]
    public void BatchNormTraining_SplitByChannel_ForwardBackwardAndRunningStatisticsMatchOnEveryThreadCount()
    {
        const int Channels = 16;
        var g = new GraphBuilder();
        Value x = g.Parameter("x", TestModels.Uniform(new Shape(8, Channels, 32, 32), 2, seed: 10));
        Value weight = g.Parameter("weight", TestModels.Uniform(new Shape(Channels), 1, seed: 11));
        Tensor biasValues = TestModels.Uniform(new Shape(Channels), 1, seed: 12);
        Value bias = g.Parameter("bias", biasValues);
        Value mean = g.Parameter("running_mean", Tensor.Zeros(new Shape(Channels)), requiresGrad: false);
        Value variance = g.Parameter("running_var", Tensor.Ones(new Shape(Channels)), requiresGrad: false);
        Value y = Ops.BatchNorm2d(x, weight, bias, mean, variance, training: true);
        Value loss = (y * g.Constant(TestModels.Uniform(y.Shape, 1, seed: 13))).Sum();
        ComputeGraph graph = g.Build();

        byte[][] bits = ThreadCounts.AssertSameBits(
            ThreadCounts.Compile(graph, [loss], [y]),
            s =>
            {
                s.Forward();
                s.Backward();
            },
            s => [s.Output(y), .. graph.Parameters.Select(p => p.RequiresGrad ? s.Grad(p)! : s.ParameterValue(p))]);

        // Every channel normalized: its mean is its bias.
        float[] output = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bits[0]).ToArray();
        float[] biases = biasValues.ToArray<float>();
        for (int c = 0; c < Channels; c++)
        {
            double channelMean = Enumerable.Range(0, output.Length).Where(i => i / 1024 % Channels == c).Average(i => (double)output[i]);
            Assert.AreEqual(biases[c], channelMean, 1e-4, $"channel {c}");
        }
    }

    [TestMethod]
    public void DropoutMask_DrawnInParts_KeepsAboutOneMinusP()
    {
        const int Length = (3 * 65536) + 9;
        float[] y = Run(Tensor.Ones(new Shape(Length)), v => Ops.Dropout(v, 0.25, training: true, seed: 3));
        double kept = y.Count(v => v != 0) / (double)Length;
        Assert.AreEqual(0.75, kept, 0.01);
        Assert.IsTrue(y.All(v => v == 0 || v == 1 / 0.75f));
    }

    /// <summary>
    /// f(x) forward and (f(x)·r).Sum() backward into x, on 1 and 3 threads; asserts the output and x's gradient are
    /// bitwise equal and returns the output.
    /// </summary>
    private static float[] Run(Tensor input, Func<Value, Value> f)
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", input);
        Value y = f(x);
        Value loss = (y * g.Constant(TestModels.Uniform(y.Shape, 1, seed: 99))).Sum();
        ComputeGraph graph = g.Build();
        Value leaf = graph.Parameters.Single();
        byte[][] bits = ThreadCounts.AssertSameBits(
            ThreadCounts.Compile(graph, [loss], [y]),
            s =>
            {
                s.Forward();
                s.Backward();
            },
            s => [s.Output(y), s.Grad(leaf)!]);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bits[0]).ToArray();
    }

    private static void AssertClose(double[] expected, float[] actual, double relative)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], relative * Math.Max(1, Math.Abs(expected[i])), $"element {i}");
        }
    }
}
