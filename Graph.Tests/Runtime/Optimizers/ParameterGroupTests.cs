using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Optimizers;

/// <summary>Parameter groups and learning rates: what an optimizer refuses, and what LearningRate changes.</summary>
[TestClass]
public sealed class ParameterGroupTests
{
    [TestMethod]
    public void NegativeLearningRate_Throws_InEveryForm()
    {
        using Session session = Model(out Value w, out _, out _);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdamW(session, lr: -1e-3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RmsProp(session, lr: -1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Sgd(session, lr: double.NaN));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ParameterGroup([w], learningRate: -0.1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RmsProp(session, momentum: -0.5));
        var adam = new Adam(session, lr: 0.01);
        ArgumentOutOfRangeException e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => adam.LearningRate = -0.5);
        StringAssert.Contains(e.Message, "LearningRate");
        Assert.AreEqual(0.01, adam.LearningRate, "a refused rate is not kept");
    }

    [TestMethod]
    public void AParameterOfAnotherGraph_Throws_NamingIt()
    {
        using Session session = Model(out _, out _, out _);
        var other = new GraphBuilder();
        Value stranger = other.Parameter("stranger", Tensor.Zeros(new Shape(40, 3)));
        ArgumentException e = Assert.ThrowsExactly<ArgumentException>(() => new AdamW(session, [new ParameterGroup([stranger])]));
        StringAssert.Contains(e.Message, "'stranger' is not a parameter of this session's graph");
    }

    [TestMethod]
    public void AFrozenParameter_Throws_NamingIt()
    {
        using Session session = Model(out Value w, out _, out Value frozen);
        ArgumentException e = Assert.ThrowsExactly<ArgumentException>(() => new Sgd(session, [new ParameterGroup([w]), new ParameterGroup([frozen])], lr: 0.1));
        StringAssert.Contains(e.Message, "Parameter group 1: 'running' is frozen");
    }

    [TestMethod]
    public void AnInputOrARepeatedParameter_Throws()
    {
        using Session session = Model(out Value w, out Value b, out _);
        Value x = session.Graph.Find("x");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RmsProp(session, [new ParameterGroup([x])])).Message, "'x' (input) is not a parameter");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RmsProp(session, [new ParameterGroup([w, b]), new ParameterGroup([w])])).Message, "'w' appears twice");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RmsProp(session, Array.Empty<ParameterGroup>())).Message, "empty list");
    }

    [TestMethod]
    public void AGroup_BelongsToOneOptimizer()
    {
        using Session session = Model(out Value w, out _, out _);
        var group = new ParameterGroup([w], weightDecay: 0);
        Assert.ThrowsExactly<InvalidOperationException>(() => group.LearningRate, "no rate yet: it takes the optimizer's");
        _ = new AdamW(session, [group], lr: 0.02);
        Assert.AreEqual(0.02, group.LearningRate, "filled in from the optimizer");
        Assert.AreEqual(0.0, group.WeightDecay, "kept");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Adam(session, [group])).Message, "already belongs to another optimizer");
    }

    [TestMethod]
    public void LearningRate_SetsEveryGroup_AndOnlyTheListedParametersMove()
    {
        using Session session = Model(out Value w, out Value b, out _);
        var sgd = new Sgd(session, [new ParameterGroup([w], learningRate: 0.5)], lr: 0.1);
        Assert.AreEqual(0.5, sgd.LearningRate);
        sgd.LearningRate = 0.25;
        Assert.AreEqual(0.25, sgd.ParameterGroups[0].LearningRate);

        double[] w0 = session.ParameterValue(w).ToArray<double>(), b0 = session.ParameterValue(b).ToArray<double>();
        session.SetInput(session.Graph.Find("x"), Tensor.Ones(new Shape(4, 3), DType.Float64));
        session.Forward();
        session.Backward();
        double[] gw = session.Grad(w)!.ToArray<double>();
        sgd.Step();
        CollectionAssert.AreEqual(w0.Zip(gw, (p, d) => p + (-0.25 * d)).ToArray(), session.ParameterValue(w).ToArray<double>(), "w moved at the rate set");
        CollectionAssert.AreEqual(b0, session.ParameterValue(b).ToArray<double>(), "b is in no group");
    }

    private static Session Model(out Value w, out Value b, out Value frozen)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(4, 3), DType.Float64);
        w = g.Parameter("w", Tensor.FromArray([0.5, -1.0, 2.0], 3));
        b = g.Parameter("b", Tensor.FromArray([0.1]));
        frozen = g.Parameter("running", Tensor.Zeros(new Shape(1), DType.Float64), requiresGrad: false);
        Value loss = ((x * w).Sum(axes: [1]) + b + frozen).Pow(2).Mean();
        return Compile.Session(g, [loss]);
    }
}
