using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork;

/// <summary>Dropout: seeded masks that change every forward pass and repeat across sessions, PyTorch's scaling, and the gradient through the same mask.</summary>
[TestClass]
public sealed class DropoutTests
{
    private static readonly Shape s_shape = new(40, 50);

    [TestMethod]
    public void SameSeedAndPass_GiveTheSameMask_AndTheNextPassADifferentOne()
    {
        double[][] first = Passes(seed: 7, count: 3);
        double[][] second = Passes(seed: 7, count: 3);

        for (int pass = 0; pass < 3; pass++)
        {
            CollectionAssert.AreEqual(first[pass], second[pass], $"pass {pass} in two sessions");
        }

        CollectionAssert.AreNotEqual(first[0], first[1], "consecutive passes draw new masks");
        CollectionAssert.AreNotEqual(first[0], Passes(seed: 8, count: 1)[0], "another seed draws another mask");
    }

    [TestMethod]
    public void KeptElements_AreScaledBy1OverOneMinusP_AndAboutPAreDropped()
    {
        double[] y = Passes(seed: 1, count: 1, p: 0.3)[0];

        int dropped = y.Count(v => v == 0);
        Assert.IsTrue(y.All(v => v == 0 || Math.Abs(v - (1 / 0.7)) < 1e-12), "every element is 0 or 1/(1 − p)");
        Assert.IsTrue(Math.Abs((dropped / (double)y.Length) - 0.3) < 0.04, $"{dropped} of {y.Length} dropped");
    }

    [TestMethod]
    public void TwoDropoutsWithOneSeed_DrawDifferentMasks()
    {
        var g = new GraphBuilder();
        Value x = g.Constant(Tensor.Ones(s_shape, DType.Float64));
        Value a = Ops.Dropout(x, 0.5, training: true);
        Value b = Ops.Dropout(x, 0.5, training: true);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [a, b] }));
        session.Forward();

        CollectionAssert.AreNotEqual(session.Output(a).ToDoubleArray(), session.Output(b).ToDoubleArray());
    }

    [TestMethod]
    public void PZero_IsTheIdentity()
    {
        Assert.IsTrue(Passes(seed: 3, count: 2, p: 0).All(pass => pass.All(v => v == 1)));
    }

    [TestMethod]
    public void POne_DropsEverything()
    {
        Assert.IsTrue(Passes(seed: 3, count: 1, p: 1)[0].All(v => v == 0));
    }

    [TestMethod]
    public void Evaluation_ReturnsTheInputItself()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", s_shape);
        Assert.AreSame(x, Ops.Dropout(x, 0.5, training: false));
    }

    [TestMethod]
    public void ProbabilityOutsideZeroToOne_IsRefused()
    {
        var g = new GraphBuilder();
        var e = Assert.Throws<GraphBuildException>(() => Ops.Dropout(g.Input("x", s_shape), 1.5, training: false));
        StringAssert.Contains(e.Message, "must be in [0, 1]");
    }

    [TestMethod]
    public void Gradient_UsesTheForwardPassMask()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.Rand(s_shape, seed: 5, DType.Float64));
        Value y = Ops.Dropout(x + 1, 0.4, training: true, seed: 11);
        Value loss = y.Sum();
        using Session session = Compile.Session(g, [loss], [y]);

        session.Forward();
        session.Forward(); // the backward pass must read the mask of the latest forward pass
        session.Backward();

        double[] input = session.ParameterValue(x).ToDoubleArray();
        double[] mask = session.Output(y).ToDoubleArray().Select((v, i) => v / (input[i] + 1)).ToArray();
        TensorAssert.AreClose(mask, session.Grad(x), 1e-12);
        Assert.IsTrue(mask.Any(v => v == 0) && mask.Any(v => v > 1));
    }

    /// <summary>The dropout of ones (the mask itself) on each of <paramref name="count"/> forward passes of a new session.</summary>
    private static double[][] Passes(int seed, int count, double p = 0.5)
    {
        var g = new GraphBuilder();
        Value y = Ops.Dropout(g.Constant(Tensor.Ones(s_shape, DType.Float64)), p, training: true, seed);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));
        var passes = new double[count][];
        for (int i = 0; i < count; i++)
        {
            session.Forward();
            passes[i] = session.Output(y).ToDoubleArray();
        }

        return passes;
    }
}
