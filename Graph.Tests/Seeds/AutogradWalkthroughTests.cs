using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Seeds;

/// <summary>The autograd walkthrough notebook: grad_fn, vector-Jacobian products, accumulation, and the manual update loop.</summary>
[TestClass]
public sealed class AutogradWalkthroughTests
{
    [TestMethod]
    public void MeanOfThreeYSquared_GradientIsTwoY()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3), requiresGrad: true);
        Value y = x + 2;
        Value z = y * y * 3;
        Value mean = z.Mean();
        using Session session = Compile.Session(g, [mean], [y, z]);

        session.SetInput(x, Tensor.FromArray([-0.4246f, -1.2319f, -0.9513f]));
        session.Forward();
        session.Backward();

        TensorAssert.AreClose([1.5754, 0.7681, 1.0487], session.Output(y), 1e-6);
        // The seed prints x to 4 decimals; 3y² carries that rounding (6y · 5e-5) into its 4th decimal.
        TensorAssert.AreClose([7.4461, 1.7698, 3.2992], session.Output(z), 1e-3);
        Assert.AreEqual(4.1717, session.Output(mean).Item(), 1e-3);
        TensorAssert.AreClose([3.1509, 1.5362, 2.0974], session.Grad(x), 1e-3);
        Assert.IsNull(x.GradFn);
        Assert.AreEqual("AddBackward", y.GradFn);
        Assert.AreEqual("MulBackward", z.GradFn);
        Assert.AreEqual("MeanBackward", mean.GradFn);
    }

    [TestMethod]
    public void DoublingElevenTimes_VectorJacobianProduct()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3), requiresGrad: true);
        Value y = x * 2;
        for (int i = 0; i < 10; i++)
        {
            y *= 2;
        }

        using Session session = Compile.Session(g, [y]);
        session.SetInput(x, Tensor.Randn(new Shape(3), seed: 0));
        session.Forward();
        session.Backward(y, Tensor.FromArray([0.1f, 1.0f, 0.0001f]));

        TensorAssert.AreClose([204.8, 2048, 0.2048], session.Grad(x), 1e-4);
        Assert.AreEqual("MulBackward", y.GradFn);
    }

    [TestMethod]
    [DataRow(3.0, DisplayName = "weights*3: 3, 6, 9")]
    [DataRow(31.0, DisplayName = "weights*31: 31, 62, 93")]
    public void Backward_AccumulatesUntilZeroGrad(double factor)
    {
        var g = new GraphBuilder();
        Value weights = g.Parameter("weights", Tensor.Ones(new Shape(4)));
        Value output = (weights * factor).Sum();
        using Session session = Compile.Session(g, [output]);

        for (int epoch = 1; epoch <= 3; epoch++)
        {
            session.Forward();
            session.Backward();
            TensorAssert.AreEqual(Enumerable.Repeat(factor * epoch, 4).ToArray(), session.Grad(weights), $"epoch {epoch}");
        }
    }

    [TestMethod]
    public void ManualUpdateLoop_ReachesPointOne()
    {
        var g = new GraphBuilder();
        Value weights = g.Parameter("weights", Tensor.Ones(new Shape(4)));
        Value output = (weights * 3).Sum();
        using Session session = Compile.Session(g, [output]);
        double[] outputs = new double[3];

        for (int epoch = 0; epoch < 3; epoch++)
        {
            session.Forward();
            outputs[epoch] = session.Output(output).Item();
            session.Backward();
            TensorAssert.AreEqual([3, 3, 3, 3], session.Grad(weights));

            // with torch.no_grad(): weights -= 0.1 * weights.grad
            Span<float> w = session.ParameterValue(weights).AsSpan<float>();
            ReadOnlySpan<float> grad = session.Grad(weights)!.AsSpan<float>();
            for (int i = 0; i < w.Length; i++)
            {
                w[i] -= 0.1f * grad[i];
            }

            session.ZeroGrad();
        }

        Assert.AreEqual(12, outputs[0], 1e-5);
        Assert.AreEqual(8.4, outputs[1], 1e-5);
        Assert.AreEqual(4.8, outputs[2], 1e-5);
        TensorAssert.AreClose([0.1, 0.1, 0.1, 0.1], session.ParameterValue(weights), 1e-6);
    }

    [TestMethod]
    public void RequiresGradFlags_FollowTheLeaves()
    {
        var g = new GraphBuilder();
        Value a = g.Input("a", new Shape(2, 2));
        Value b = a * 3 / (a - 1);
        Assert.IsFalse(a.RequiresGrad);
        Assert.IsNull(b.GradFn);

        Value tracked = g.Input("tracked", new Shape(2, 2), requiresGrad: true);
        Value sum = (tracked * tracked).Sum();
        Assert.IsTrue(tracked.RequiresGrad);
        Assert.AreEqual("SumBackward", sum.GradFn);

        Value detached = tracked.Detach();
        Assert.IsFalse(detached.RequiresGrad);

        using (g.NoGrad())
        {
            Assert.IsFalse((tracked * tracked).RequiresGrad);
        }
    }

    [TestMethod]
    public void Sgd_OneStepWithMomentum_UpdatesLikeTorch()
    {
        var g = new GraphBuilder();
        Value weights = g.Parameter("weights", Tensor.Ones(new Shape(4)));
        Value output = (weights * 3).Sum();
        using Session session = Compile.Session(g, [output]);
        var optimizer = new Sgd(session, lr: 0.01, momentum: 0.9);

        session.Forward();
        session.Backward();
        optimizer.Step();
        optimizer.ZeroGrad();
        TensorAssert.AreClose([0.97, 0.97, 0.97, 0.97], session.ParameterValue(weights), 1e-6); // buf = g = 3

        session.Forward();
        session.Backward();
        optimizer.Step();
        TensorAssert.AreClose([0.913, 0.913, 0.913, 0.913], session.ParameterValue(weights), 1e-6); // buf = 0.9·3 + 3
    }
}
