using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Runtime;

/// <summary>
/// ZeroGrad zeroes gradients in name and the next accumulation overwrites them: whatever reads a gradient (Grad, an
/// optimizer) sees exactly what writing zeros and adding would give, whether the product added into the gradient
/// directly, an accumulation step added it, or no backward pass reached it since.
/// </summary>
[TestClass]
public sealed class ZeroGradTests
{
    [TestMethod]
    public void ZeroGrad_ThenRead_GivesZeros()
    {
        (Session session, Value w, Value b, Value loss, _) = Model();
        using (session)
        {
            session.Forward();
            session.Backward(loss);
            Assert.IsTrue(session.Grad(w)!.ToArray<double>().Any(v => v != 0));
            session.ZeroGrad();

            CollectionAssert.AreEqual(new double[6], session.Grad(w)!.ToArray<double>());
            CollectionAssert.AreEqual(new double[2], session.Grad(b)!.ToArray<double>());
        }
    }

    [TestMethod]
    public void ZeroGrad_ThenBackward_OverwritesAndThenAccumulates()
    {
        (Session session, Value w, Value b, Value loss, _) = Model();
        using (session)
        {
            session.Forward();
            session.Backward(loss);
            double[] w1 = session.Grad(w)!.ToArray<double>(), b1 = session.Grad(b)!.ToArray<double>();
            session.Backward(loss);
            session.ZeroGrad();
            session.Backward(loss);
            CollectionAssert.AreEqual(w1, session.Grad(w)!.ToArray<double>(), "the direct (GEMM) accumulation overwrote");
            CollectionAssert.AreEqual(b1, session.Grad(b)!.ToArray<double>(), "the accumulation step overwrote");
            session.Backward(loss);
            CollectionAssert.AreEqual(w1.Select(v => v + v).ToArray(), session.Grad(w)!.ToArray<double>());
            CollectionAssert.AreEqual(b1.Select(v => v + v).ToArray(), session.Grad(b)!.ToArray<double>());
        }
    }

    [TestMethod]
    public void ZeroGrad_ThenABackwardThatDoesNotReachTheParameter_LeavesItZero()
    {
        (Session session, Value w, _, Value loss, Value other) = Model();
        using (session)
        {
            session.Forward();
            session.Backward(loss);
            session.ZeroGrad();
            session.Backward(other); // reaches b only

            CollectionAssert.AreEqual(new double[6], session.Grad(w)!.ToArray<double>());
        }
    }

    [TestMethod]
    public void SgdWithMomentum_AfterZeroGradAndNoBackward_StepsOnZeroGradients()
    {
        // torch 1.13's zero_grad writes zeros (set_to_none=False): the next step still moves by the momentum alone.
        (Session session, Value w, _, Value loss, _) = Model();
        using (session)
        {
            var sgd = new Sgd(session, lr: 0.1, momentum: 0.9);
            session.Forward();
            session.Backward(loss);
            double[] w0 = session.ParameterValue(w).ToArray<double>();
            double[] g0 = session.Grad(w)!.ToArray<double>();
            sgd.Step();
            sgd.ZeroGrad();
            sgd.Step();

            double[] expected = w0.Select((v, i) => v - (0.1 * g0[i]) - (0.1 * 0.9 * g0[i])).ToArray();
            double[] actual = session.ParameterValue(w).ToArray<double>();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], actual[i], 1e-15, $"element {i}");
            }
        }
    }

    /// <summary>loss = sum(2·x·w + b) with w's gradient added by its GEMM and b's by an accumulation step; other = sum(b²).</summary>
    private static (Session Session, Value W, Value B, Value Loss, Value Other) Model()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3), DType.Float64);
        Value w = g.Parameter("w", Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2));
        Value b = g.Parameter("b", Tensor.FromArray(new double[] { 0.5, -1 }, 2));
        Value loss = ((x.MatMul(w) * 2) + b).Sum();
        Value other = (b * b).Sum();
        var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss, other] }));
        session.SetInput(x, Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3));
        return (session, w, b, loss, other);
    }
}
