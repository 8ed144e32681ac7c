using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Seeds;

/// <summary>Frozen parameters, detached paths and inputs without requiresGrad get no gradient, as in PyTorch.</summary>
[TestClass]
public sealed class FrozenParameterTests
{
    [TestMethod]
    public void FrozenDetachedAndPlainInputs_HaveNullGrad()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2));
        Value frozen = g.Parameter("frozen", Tensor.FromArray([1f, 2f]), requiresGrad: false);
        Value trained = g.Parameter("trained", Tensor.FromArray([3f, 4f]));
        Value cut = g.Parameter("cut", Tensor.FromArray([5f, 6f]));
        Value loss = ((x * frozen * trained) + cut.Detach()).Sum();
        using Session session = Compile.Session(g, [loss]);

        session.SetInput(x, Tensor.FromArray([10f, 20f]));
        Assert.IsNull(session.Grad(trained), "no backward has run yet");
        session.Forward();
        session.Backward();

        TensorAssert.AreEqual([10, 40], session.Grad(trained));
        Assert.IsNull(session.Grad(frozen));
        Assert.IsNull(session.Grad(cut));
        Assert.IsNull(session.Grad(x));
        CollectionAssert.AreEqual(new[] { "frozen", "trained", "cut" }, session.Parameters.Select(p => p.Name).ToArray(), "Parameters lists frozen ones too");
    }
}
