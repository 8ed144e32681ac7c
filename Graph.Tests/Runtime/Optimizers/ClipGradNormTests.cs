using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Optimizers;

/// <summary>Session.ClipGradNorm against torch.nn.utils.clip_grad_norm_ (tools/pytorch/optimizer_reference.py), and its rules.</summary>
[TestClass]
public sealed class ClipGradNormTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, Tensor>> s_reference = new(() => SafetensorsFile.Read(PyTorchFixtures.Optimizers));

    [TestMethod]
    [DataRow("clip", "clipped", 1.0, 1e-15)]
    [DataRow("clip", "unclipped", 100.0, 1e-15)]
    [DataRow("clip32", "clipped", 1.0, 1e-6)]
    [DataRow("clip32", "unclipped", 100.0, 1e-6)]
    public void NormAndClippedGradients_MatchTorch(string prefix, string name, double maxNorm, double tolerance)
    {
        IReadOnlyDictionary<string, Tensor> reference = s_reference.Value;
        DType dtype = reference[$"{prefix}/grad/p0"].DType;
        var g = new GraphBuilder();
        Value p0 = g.Parameter("p0", Tensor.Zeros(new Shape(3, 4), dtype));
        Value p1 = g.Parameter("p1", Tensor.Zeros(new Shape(5), dtype));
        Value unreached = g.Parameter("unreached", Tensor.Ones(new Shape(2), dtype)); // no gradient: left out, as torch leaves out a None grad
        Value frozen = g.Parameter("frozen", Tensor.Ones(new Shape(2), dtype), requiresGrad: false);
        Value g0 = g.Input("g0", p0.Shape, dtype);
        Value g1 = g.Input("g1", p1.Shape, dtype);
        using Session session = Compile.Session(g, [(p0 * g0).Sum() + (p1 * g1).Sum() + frozen.Sum()]);
        session.SetInput(g0, reference[$"{prefix}/grad/p0"]);
        session.SetInput(g1, reference[$"{prefix}/grad/p1"]);
        session.Forward();
        session.Backward();
        Assert.IsNull(session.Grad(unreached));

        double norm = session.ClipGradNorm(maxNorm);

        Relative.AssertClose([reference[$"{prefix}/{name}/norm"].ToDoubleArray()[0]], [norm], tolerance, "the total norm");
        Relative.AssertClose(reference[$"{prefix}/{name}/p0"].ToDoubleArray(), session.Grad(p0), tolerance, "p0's gradient");
        Relative.AssertClose(reference[$"{prefix}/{name}/p1"].ToDoubleArray(), session.Grad(p1), tolerance, "p1's gradient");
        Assert.IsNull(session.Grad(unreached), "clipping creates no gradient");
    }

    [TestMethod]
    public void NoGradient_ReturnsZero_AndAZeroedGradientCounts()
    {
        var g = new GraphBuilder();
        Value w = g.Parameter("w", Tensor.FromArray([3.0, 4.0]));
        using Session session = Compile.Session(g, [(w * w).Sum()]);
        Assert.AreEqual(0.0, session.ClipGradNorm(1), "no backward has run");
        session.Forward();
        session.Backward();
        Assert.AreEqual(10.0, session.ClipGradNorm(100), 1e-15, "‖(6, 8)‖");
        session.ZeroGrad();
        Assert.AreEqual(0.0, session.ClipGradNorm(1), "zeros, as torch's zero_grad() leaves");
    }

    [TestMethod]
    [DataRow(-1.0)]
    [DataRow(double.NaN)]
    public void BadMaxNorm_Throws(double maxNorm)
    {
        var g = new GraphBuilder();
        Value w = g.Parameter("w", Tensor.FromArray([3.0, 4.0]));
        using Session session = Compile.Session(g, [(w * w).Sum()]);
        ArgumentOutOfRangeException e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => session.ClipGradNorm(maxNorm));
        StringAssert.Contains(e.Message, "maxNorm");
    }

    [TestMethod]
    public void LargeGradients_OnThreeThreads_AreTheOneThreadBits()
    {
        // Three parts of 64K and a ragged one, beside a small parameter: both loops split into fixed parts.
        const int Length = (3 * 65536) + 77;
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(Length));
        Value w = g.Parameter("w", TestModels.Uniform(new Shape(Length), 1, seed: 1));
        Value b = g.Parameter("b", TestModels.Uniform(new Shape(7), 1, seed: 2));
        Value loss = ((x * w).Tanh().Pow(2).Sum() * 10) + (b * b).Sum();
        CompiledGraph compiled = ThreadCounts.Compile(g.Build(), [loss]);
        Tensor xs = TestModels.Uniform(new Shape(Length), 1, seed: 3);
        var norms = new List<double>();
        ThreadCounts.AssertSameBits(
            compiled,
            s =>
            {
                s.SetInput(x, xs);
                s.ZeroGrad();
                s.Forward();
                s.Backward();
                norms.Add(s.ClipGradNorm(0.5));
            },
            s => [s.Grad(w)!, s.Grad(b)!]);
        Assert.IsTrue(norms.All(n => n == norms[0]), $"the norm is the same on every thread count: {string.Join(", ", norms)}");
        Assert.IsGreaterThan(0.5, norms[0], "the test clips");
    }
}
