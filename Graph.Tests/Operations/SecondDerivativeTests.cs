using Graph.Compiler;
using Graph.Core;
using Graph.Core.Operations;
using Graph.Runtime;

namespace Graph.Tests.Operations;

/// <summary>
/// Every differentiable op's gradient differentiated again, against central finite differences of the gradient, in
/// float64 as PyTorch's gradgradcheck: <c>G = Σ v ⊙ ∂(Σ u ⊙ op(x))/∂x</c> (built with <see cref="GraphBuilder.Grad"/>)
/// is differentiated by the compiled backward graph and numerically (<see cref="GradientCheck"/>). The op table drives it, as the first-order
/// check: every gradient check spec is checked a second time here, unless its op is listed with the reason it is not.
/// </summary>
[TestClass]
public sealed class SecondDerivativeTests
{
    private const double Epsilon = 1e-6;

    public static IEnumerable<object[]> Specs => GradientCheckSpecs.All.Select(s => new object[] { s });

    public static string DisplayName(System.Reflection.MethodInfo method, object[] data) => data[0].ToString()!;

    [TestMethod]
    [DynamicData(nameof(Specs), DynamicDataDisplayName = nameof(DisplayName))]
    public void GradientOfTheGradient_MatchesFiniteDifferences(GradientCheckSpec spec)
    {
        var random = new SeededRandom((spec.ToString().Length * 7919) + 1);
        var g = new GraphBuilder();
        Value[] inputs = spec.InputShapes
            .Select((shape, i) => g.Parameter($"x{i}", GradientSamples.Sample(shape, spec.Domain, random)))
            .ToArray();
        Value output = spec.Build(g, inputs);
        Value u = g.Constant(GradientSamples.Sample(output.Shape, InputDomain.AwayFromZero, random), "u");
        IReadOnlyList<Value> first = g.Grad((output * u).Sum(), inputs);
        Value? loss = null;
        for (int i = 0; i < inputs.Length; i++)
        {
            Value v = g.Constant(GradientSamples.Sample(inputs[i].Shape, InputDomain.AwayFromZero, random), $"v{i}");
            Value term = (first[i] * v).Sum();
            loss = loss is null ? term : loss + term;
        }

        if (!loss!.RequiresGrad)
        {
            // The op is piecewise linear: its gradient is constant in x, so the second derivative is zero everywhere
            // it is defined, and nothing is left to differentiate. Finite differences must agree that it is zero.
            AssertZeroSecondDerivative(spec, g, inputs, loss);
            return;
        }

        GradientCheckReport report = GradientCheck.Run(g.Build(), loss);
        Assert.IsTrue(report.IsWithin(1e-5), $"{spec}: the second derivative by backward and by finite differences disagree.\n{report}");
    }

    private static void AssertZeroSecondDerivative(GradientCheckSpec spec, GraphBuilder g, Value[] inputs, Value loss)
    {
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [loss] }));
        foreach (Value input in inputs)
        {
            Span<double> x = session.ParameterValue(input).AsSpan<double>();
            for (int i = 0; i < x.Length; i++)
            {
                double numeric = CentralDifference(session, loss, x, i);
                Assert.IsTrue(Math.Abs(numeric) <= 1e-6, $"{spec}: G does not require a gradient (a gradient constant in x), but finite differences give d G / d {input.Name}[{i}] = {numeric}.");
            }
        }
    }

    private static double CentralDifference(Session session, Value loss, Span<double> x, int i)
    {
        double saved = x[i];
        x[i] = saved + Epsilon;
        session.Forward();
        double plus = session.Output(loss).Item();
        x[i] = saved - Epsilon;
        session.Forward();
        double minus = session.Output(loss).Item();
        x[i] = saved;
        return (plus - minus) / (2 * Epsilon);
    }
}
