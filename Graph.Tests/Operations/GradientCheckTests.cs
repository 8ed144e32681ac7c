using Graph.Compiler;
using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Tests.Operations;

/// <summary>
/// Every differentiable op's gradient against central finite differences, in float64 as PyTorch's gradcheck, through
/// the public <see cref="GradientCheck"/>: the scalar <c>L = Σ u ⊙ op(x)</c> with a random <c>u</c> is differentiated
/// by the compiled backward graph and numerically, element by element of every input.
/// </summary>
[TestClass]
public sealed class GradientCheckTests
{
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
        ComputeGraph graph = g.Build();
        Assert.IsTrue(graph.Values.Any(v => v.Op?.Name == spec.Op), $"The spec '{spec}' builds no '{spec.Op}' node.");
        CompiledGraph compiled = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [output] });
        Assert.IsNull(MemoryPlanVerifier.FindDefect(compiled), "memory plan");

        GradientCheckReport report = GradientCheck.Run(graph, output, new GradientCheckOptions { Seed = spec.ToString().Length });
        Assert.HasCount(inputs.Length, report.Inputs, $"{spec}: a leaf is missing from the report");
        Assert.IsTrue(report.IsWithin(1e-6), $"{spec}: backward and finite differences disagree.\n{report}");
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
}
