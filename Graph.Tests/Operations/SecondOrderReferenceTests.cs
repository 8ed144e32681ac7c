using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Operations;

/// <summary>
/// <see cref="GraphBuilder.Grad"/> against torch.autograd.grad(create_graph=True) in float64, on the cases
/// tools/pytorch/second_order_reference.py wrote: a Hessian-vector product of an MLP loss, a WGAN-GP critic trained
/// three SGD steps with its gradient penalty, and a double backward through conv2d and batch norm.
/// </summary>
[TestClass]
public sealed class SecondOrderReferenceTests
{
    private const double Tolerance = 1e-10;

    private static readonly string[] s_mlpParameters = ["w1", "b1", "w2", "b2"];

    private static readonly Lazy<IReadOnlyDictionary<string, Tensor>> s_reference = new(() => SafetensorsFile.Read(PyTorchFixtures.SecondOrder));

    private static IReadOnlyDictionary<string, Tensor> Reference => s_reference.Value;

    [TestMethod]
    public void HessianVectorProduct_OfAnMlpLoss_MatchesPyTorch()
    {
        var g = new GraphBuilder();
        Value x = g.Constant(Reference["hvp/x"], "x");
        Value labels = g.Constant(Reference["hvp/labels"], "labels");
        Value[] p = s_mlpParameters.Select(k => g.Parameter(k, Reference[$"hvp/param/{k}"])).ToArray();
        Value loss = Ops.CrossEntropy(Ops.Linear(Ops.Linear(x, p[0], p[1]).Tanh(), p[2], p[3]), labels).Named("loss");
        IReadOnlyList<Value> grads = g.Grad(loss, p);
        Value dot = Enumerable.Range(0, p.Length)
            .Select(i => (grads[i] * g.Constant(Reference[$"hvp/v/{s_mlpParameters[i]}"])).Sum())
            .Aggregate((a, b) => a + b)
            .Named("dot");

        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [loss, .. grads], GradientRoots = [dot] }));
        session.Forward();
        session.Backward();
        Close("hvp/loss", session.Output(loss));
        for (int i = 0; i < p.Length; i++)
        {
            Close($"hvp/grad/{s_mlpParameters[i]}", session.Output(grads[i]));
            Close($"hvp/hv/{s_mlpParameters[i]}", session.Grad(p[i]));
        }
    }

    [TestMethod]
    public void GradientPenalty_ThreeSgdSteps_MatchPyTorch()
    {
        var g = new GraphBuilder();
        Value[] p = s_mlpParameters.Select(k => g.Parameter(k, Reference[$"gp/initial/{k}"])).ToArray();
        Value Critic(Value input) => Ops.Linear(Ops.Linear(input, p[0], p[1]).Tanh(), p[2], p[3]);
        Value real = g.Constant(Reference["gp/real"], "real");
        Value fake = g.Constant(Reference["gp/fake"], "fake");
        Value interpolated = g.Input("interpolated", Reference["gp/real"].Shape, DType.Float64, requiresGrad: true);
        Value gradient = g.Grad(Critic(interpolated).Sum(), [interpolated])[0];
        Value penalty = (gradient.Pow(2).Sum([1]).Sqrt() - 1.0).Pow(2).Mean();
        Value loss = (Critic(fake).Mean() - Critic(real).Mean() + (10.0 * penalty)).Named("loss");

        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }));
        session.SetInput(interpolated, Interpolate(Reference["gp/real"], Reference["gp/fake"], Reference["gp/eps"]));
        var sgd = new Sgd(session, lr: 0.05);
        double[] expectedLosses = Reference["gp/losses"].ToDoubleArray();
        for (int step = 0; step < expectedLosses.Length; step++)
        {
            sgd.ZeroGrad();
            session.Forward();
            session.Backward();
            sgd.Step();
            Assert.AreEqual(expectedLosses[step], session.Output(loss).Item(), Tolerance * Math.Abs(expectedLosses[step]), $"loss of step {step}");
        }

        for (int i = 0; i < p.Length; i++)
        {
            Close($"gp/final/{s_mlpParameters[i]}", session.ParameterValue(p[i]));
        }
    }

    [TestMethod]
    public void DoubleBackward_ThroughConv2dAndBatchNorm_MatchesPyTorch()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Reference["conv/x"]);
        Value w = g.Parameter("w", Reference["conv/w"]);
        Value gamma = g.Parameter("gamma", Reference["conv/gamma"]);
        Value beta = g.Parameter("beta", Reference["conv/beta"]);
        Value mean = g.Parameter("running_mean", Tensor.Zeros(new Shape(4), DType.Float64), requiresGrad: false);
        Value variance = g.Parameter("running_var", Tensor.Ones(new Shape(4), DType.Float64), requiresGrad: false);
        Value y = Ops.BatchNorm2d(Ops.Conv2d(x, w, null, padding: 1), gamma, beta, mean, variance, training: true);
        Value loss = (y.Tanh() * g.Constant(Reference["conv/u"])).Sum();
        IReadOnlyList<Value> first = g.Grad(loss, [x, w]);
        Value second = ((first[0] * g.Constant(Reference["conv/vx"])).Sum() + (first[1] * g.Constant(Reference["conv/vw"])).Sum()).Named("G");

        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [second] }));
        session.Forward();
        session.Backward();
        Close("conv/second/x", session.Grad(x));
        Close("conv/second/w", session.Grad(w));
        Close("conv/second/gamma", session.Grad(gamma));
        Close("conv/second/beta", session.Grad(beta));
    }

    private static Tensor Interpolate(Tensor real, Tensor fake, Tensor eps)
    {
        double[] r = real.ToDoubleArray(), f = fake.ToDoubleArray(), e = eps.ToDoubleArray();
        int columns = real.Shape[1];
        double[] mixed = new double[r.Length];
        for (int i = 0; i < r.Length; i++)
        {
            double t = e[i / columns];
            mixed[i] = (t * r[i]) + ((1 - t) * f[i]);
        }

        return Tensor.FromArray(mixed, real.Shape.ToArray());
    }

    // Relative to the largest expected magnitude, as torch's allclose with rtol applies to each tensor.
    private static void Close(string name, Tensor? actual)
    {
        double[] expected = Reference[name].ToDoubleArray();
        double scale = Math.Max(1e-300, expected.Max(Math.Abs));
        TensorAssert.AreClose(expected, actual, Tolerance * Math.Max(1, scale), name);
    }
}
