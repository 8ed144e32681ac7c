using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Seeds;

/// <summary>"Automatic differentiation with torch.autograd": z = x·w + b with binary cross-entropy on logits.</summary>
[TestClass]
public sealed class AutogradBasicsTests
{
    // The seed's printed w and b (4 decimals), x = ones(5), y = zeros(3).
    private static readonly float[] s_w =
    [
        -0.6828f, 0.3332f, -1.9763f,
        -0.1963f, 0.8592f, 0.4308f,
        0.0557f, -2.1140f, -0.9972f,
        1.3912f, -0.5062f, 1.6108f,
        0.5042f, -0.6462f, -0.2771f,
    ];

    private static readonly float[] s_b = [-0.4456f, -1.4925f, 0.9890f];

    [TestMethod]
    public void LinearBce_MatchesSeedValuesAndGradientFormula()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(5));
        Value y = g.Input("y", new Shape(3));
        Value w = g.Parameter("w", Tensor.FromArray(s_w, 5, 3));
        Value b = g.Parameter("b", Tensor.FromArray(s_b));
        Value z = (x.MatMul(w) + b).Named("z");
        Value loss = Ops.BinaryCrossEntropyWithLogits(z, y).Named("loss");
        using Session session = Compile.Session(g, [loss], [z]);

        session.SetInput(x, Tensor.Ones(new Shape(5)));
        session.SetInput(y, Tensor.Zeros(new Shape(3)));
        session.Forward();
        session.Backward();

        TensorAssert.AreClose([0.6264, -3.5665, -0.2200], session.Output(z), 1e-4);
        Assert.AreEqual(0.5572206974029541, session.Output(loss).Item(), 1e-4);

        // dloss/dz = (σ(z) − y)/3, dloss/dw = xᵀ · dz, dloss/db = dz.
        double[] zs = session.Output(z).ToDoubleArray();
        double[] dz = zs.Select(v => 1 / (1 + Math.Exp(-v)) / 3).ToArray();
        TensorAssert.AreClose(dz, session.Grad(b), 1e-6);
        TensorAssert.AreClose(Enumerable.Range(0, 5).SelectMany(_ => dz).ToArray(), session.Grad(w), 1e-6);

        Assert.AreEqual("AddBackward", z.GradFn);
        Assert.AreEqual("BinaryCrossEntropyWithLogitsBackward", loss.GradFn);
        Assert.IsNull(x.GradFn);
        Assert.IsNull(w.GradFn);
    }

    [TestMethod]
    public void RequiresGrad_NoGradAndDetach_StopTracking()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(5));
        Value w = g.Parameter("w", Tensor.FromArray(s_w, 5, 3));
        Value b = g.Parameter("b", Tensor.FromArray(s_b));
        Value z = x.MatMul(w) + b;
        Assert.IsTrue(z.RequiresGrad);

        Value zNoGrad;
        using (g.NoGrad())
        {
            zNoGrad = x.MatMul(w) + b;
        }

        Assert.IsFalse(zNoGrad.RequiresGrad);
        Assert.IsNull(zNoGrad.GradFn);
        Assert.IsTrue(z.RequiresGrad);
        Value zDetached = z.Detach();
        Assert.IsFalse(zDetached.RequiresGrad);
        Assert.IsNull(zDetached.GradFn);
    }

    [TestMethod]
    public void Grad_OfNonLeaf_NeedsRetainGrad()
    {
        var g = new GraphBuilder();
        Value w = g.Parameter("w", Tensor.FromArray([1f, 2f]));
        Value z = (w * 3).Named("z");
        Value loss = z.Sum();
        using Session retained = Compile.Session(g, [loss], retainGrad: [z]);
        retained.Forward();
        retained.Backward();

        TensorAssert.AreEqual([1, 1], retained.Grad(z));
        TensorAssert.AreEqual([3, 3], retained.Grad(w));
    }
}
