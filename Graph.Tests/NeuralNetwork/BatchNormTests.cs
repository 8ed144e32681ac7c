using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork;

/// <summary>batch_norm: batch statistics and the in-place running-statistic update in training, the running statistics in evaluation.</summary>
[TestClass]
public sealed class BatchNormTests
{
    // [N = 2, C = 2, H = 1, W = 3]: channel 0 holds 1, 2, 4, 0, −1, 3; channel 1 holds 10, 12, 11, 9, 8, 13.
    private static readonly double[] s_x = [1, 2, 4, 10, 12, 11, 0, -1, 3, 9, 8, 13];
    private static readonly double[] s_weight = [1.5, -0.5];
    private static readonly double[] s_bias = [0.25, 2];
    private static readonly double[] s_runningMean = [0.5, -1];
    private static readonly double[] s_runningVar = [2, 0.5];

    [TestMethod]
    public void Training_NormalizesWithBatchStatistics_AndUpdatesRunningStatisticsAsPyTorch()
    {
        var g = new GraphBuilder();
        (Value y, Value mean, Value variance) = Build(g, training: true, momentum: 0.1);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));

        session.Forward();
        double[] expectedMean = [.. s_runningMean];
        double[] expectedVar = [.. s_runningVar];
        var expectedY = new double[s_x.Length];
        for (int c = 0; c < 2; c++)
        {
            double[] values = Channel(c);
            double batchMean = values.Average();
            double biased = values.Sum(v => (v - batchMean) * (v - batchMean)) / values.Length;
            for (int i = 0; i < s_x.Length; i++)
            {
                if (i / 3 % 2 == c)
                {
                    expectedY[i] = ((s_x[i] - batchMean) / Math.Sqrt(biased + 1e-5) * s_weight[c]) + s_bias[c];
                }
            }

            // torch.nn.BatchNorm2d: running = (1 − momentum)·running + momentum·stat, with the unbiased variance.
            expectedMean[c] = (0.9 * expectedMean[c]) + (0.1 * batchMean);
            expectedVar[c] = (0.9 * expectedVar[c]) + (0.1 * biased * values.Length / (values.Length - 1));
        }

        TensorAssert.AreClose(expectedY, session.Output(y), 1e-12);
        TensorAssert.AreClose(expectedMean, session.ParameterValue(mean), 1e-12);
        TensorAssert.AreClose(expectedVar, session.ParameterValue(variance), 1e-12);

        session.Forward();
        TensorAssert.AreClose(expectedY, session.Output(y), 1e-12, "the output does not depend on the running statistics");
        TensorAssert.AreClose([(0.9 * expectedMean[0]) + (0.1 * Channel(0).Average()), (0.9 * expectedMean[1]) + (0.1 * Channel(1).Average())], session.ParameterValue(mean), 1e-12, "a second step updates again");
    }

    [TestMethod]
    public void Evaluation_UsesRunningStatistics_AndLeavesThemAlone()
    {
        var g = new GraphBuilder();
        (Value y, Value mean, Value variance) = Build(g, training: false, momentum: 0.1);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));
        session.Forward();

        double[] expected = s_x.Select((v, i) =>
        {
            int c = i / 3 % 2;
            return ((v - s_runningMean[c]) / Math.Sqrt(s_runningVar[c] + 1e-5) * s_weight[c]) + s_bias[c];
        }).ToArray();
        TensorAssert.AreClose(expected, session.Output(y), 1e-12);
        TensorAssert.AreEqual(s_runningMean, session.ParameterValue(mean));
        TensorAssert.AreEqual(s_runningVar, session.ParameterValue(variance));
    }

    [TestMethod]
    public void Training_UpdatesRunningStatistics_EvenWhenNothingReadsTheOutput()
    {
        var g = new GraphBuilder();
        (Value _, Value mean, Value _) = Build(g, training: true, momentum: 0.5);
        Value unrelated = g.Parameter("unrelated", Tensor.FromArray([1.0, 2.0]));
        Value loss = unrelated.Sum();
        using Session session = Compile.Session(g, [loss]);

        session.Forward();
        TensorAssert.AreClose([(0.5 * 0.5) + (0.5 * Channel(0).Average()), (0.5 * -1) + (0.5 * Channel(1).Average())], session.ParameterValue(mean), 1e-12);
    }

    [TestMethod]
    public void Training_GradientsOfWeightAndBias_AreSumsOverTheBatch()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray(s_x, 2, 2, 1, 3));
        Value weight = g.Parameter("weight", Tensor.FromArray(s_weight));
        Value bias = g.Parameter("bias", Tensor.FromArray(s_bias));
        Value y = Ops.BatchNorm2d(x, weight, bias, Stat(g, "mean", s_runningMean), Stat(g, "var", s_runningVar), training: true);
        Value loss = y.Sum();
        using Session session = Compile.Session(g, [loss]);
        session.Forward();
        session.Backward();

        Assert.AreEqual("NativeBatchNormBackward", y.GradFn);
        TensorAssert.AreClose([6, 6], session.Grad(bias), 1e-12);
        TensorAssert.AreClose([0, 0], session.Grad(weight), 1e-12, "Σ x̂ over a channel is 0");
        TensorAssert.AreClose(new double[12], session.Grad(x), 1e-12, "a constant gradient is normalized away");
    }

    [TestMethod]
    public void Training_WithConstantRunningStatistics_AsksForParameters()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 2, 1, 3), DType.Float64);
        Value weight = g.Constant(Tensor.FromArray(s_weight));
        var e = Assert.Throws<GraphBuildException>(() => Ops.BatchNorm2d(x, weight, weight, g.Constant(Tensor.FromArray(s_runningMean), "rm"), Stat(g, "var", s_runningVar), training: true));
        StringAssert.Contains(e.Message, "'rm'");
        StringAssert.Contains(e.Message, "requiresGrad: false");
    }

    [TestMethod]
    public void Training_WithOneValuePerChannel_SaysTheVarianceNeedsMore()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(1, 2, 1, 1), DType.Float64);
        Value weight = g.Constant(Tensor.FromArray(s_weight));
        var e = Assert.Throws<GraphBuildException>(() => Ops.BatchNorm2d(x, weight, weight, Stat(g, "mean", s_runningMean), Stat(g, "var", s_runningVar), training: true));
        StringAssert.Contains(e.Message, "more than 1 value per channel");
    }

    [TestMethod]
    public void WeightOfWrongSize_NamesTheChannels()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3, 2, 2), DType.Float64);
        Value weight = g.Constant(Tensor.FromArray(s_weight));
        var e = Assert.Throws<GraphBuildException>(() => Ops.BatchNorm2d(x, weight, weight, weight, weight, training: false));
        StringAssert.Contains(e.Message, "the weight [2] must be [3]");
    }

    private static (Value Y, Value Mean, Value Variance) Build(GraphBuilder g, bool training, double momentum)
    {
        Value mean = Stat(g, "mean", s_runningMean);
        Value variance = Stat(g, "var", s_runningVar);
        Value y = Ops.BatchNorm2d(
            g.Constant(Tensor.FromArray(s_x, 2, 2, 1, 3)),
            g.Constant(Tensor.FromArray(s_weight)),
            g.Constant(Tensor.FromArray(s_bias)),
            mean,
            variance,
            training,
            momentum);
        return (y, mean, variance);
    }

    private static Value Stat(GraphBuilder g, string name, double[] values) =>
        g.Parameter($"bn.running_{name}", Tensor.FromArray(values), requiresGrad: false);

    private static double[] Channel(int c) => s_x.Where((_, i) => i / 3 % 2 == c).ToArray();
}
