using Graph.Compiler;
using Graph.Core;
using Graph.Core.Operations;
using Graph.Runtime;

namespace Graph.Tests.Operations;

/// <summary>
/// Every differentiable op's gradient against central finite differences, in float64 as PyTorch's gradcheck:
/// the scalar <c>L = Σ u ⊙ op(x)</c> with a random <c>u</c> is differentiated by the compiled backward graph and
/// numerically, element by element of every input.
/// </summary>
[TestClass]
public sealed class GradientCheckTests
{
    private const double Epsilon = 1e-6;

    public static IEnumerable<object[]> Specs => GradientCheckSpecs.All.Select(s => new object[] { s });

    public static string DisplayName(System.Reflection.MethodInfo method, object[] data) => data[0].ToString()!;

    [TestMethod]
    [DynamicData(nameof(Specs), DynamicDataDisplayName = nameof(DisplayName))]
    public void Backward_MatchesFiniteDifferences(GradientCheckSpec spec)
    {
        var random = new SeededRandom(spec.ToString().Length * 7919);
        var g = new GraphBuilder();
        Value[] inputs = spec.InputShapes
            .Select((shape, i) => g.Parameter($"x{i}", GradientSamples.Sample(shape, spec.Domain, random)))
            .ToArray();
        Value output = spec.Build(g, inputs);
        Value projection = g.Constant(GradientSamples.Sample(output.Shape, InputDomain.AwayFromZero, random), "u");
        Value loss = (output * projection).Sum();
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        Assert.IsTrue(compiled.Graph.Values.Any(v => v.Op?.Name == spec.Op), $"The spec '{spec}' builds no '{spec.Op}' node.");
        Assert.IsNull(MemoryPlanVerifier.FindDefect(compiled), "memory plan");

        using var session = new Session(compiled);
        session.Forward();
        session.Backward();

        foreach (Value input in inputs)
        {
            double[] analytic = session.Grad(input)?.ToDoubleArray() ?? throw new AssertFailedException($"{spec}: no gradient reached {input.Name}.");
            Span<double> x = session.ParameterValue(input).AsSpan<double>();
            for (int i = 0; i < x.Length; i++)
            {
                double saved = x[i];
                x[i] = saved + Epsilon;
                double plus = Evaluate(session, loss);
                x[i] = saved - Epsilon;
                double minus = Evaluate(session, loss);
                x[i] = saved;
                double numeric = (plus - minus) / (2 * Epsilon);
                double tolerance = 1e-6 * Math.Max(1, Math.Abs(numeric));
                Assert.IsTrue(
                    Math.Abs(numeric - analytic[i]) <= tolerance,
                    $"{spec}: d loss / d {input.Name}[{i}] is {analytic[i]} by backward but {numeric} by finite differences.");
            }
        }
    }

    [TestMethod]
    public void EveryDifferentiableOp_HasAGradientCheck()
    {
        var checkedOps = GradientCheckSpecs.All.Select(s => s.Op).ToHashSet();
        string[] missing = OpRegistry.ByName.Values
            .Where(op => op.IsDifferentiable && !checkedOps.Contains(op.Name))
            .Select(op => op.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.IsEmpty(missing, $"Add a GradientCheckSpec for: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public void EveryGradientCheck_NamesARegisteredDifferentiableOp()
    {
        foreach (GradientCheckSpec spec in GradientCheckSpecs.All)
        {
            Assert.IsTrue(OpRegistry.ByName.TryGetValue(spec.Op, out OpDef? op) && op.IsDifferentiable, $"'{spec}' names no differentiable op.");
        }
    }

    private static double Evaluate(Session session, Value loss)
    {
        session.Forward();
        return session.Output(loss).Item();
    }
}
