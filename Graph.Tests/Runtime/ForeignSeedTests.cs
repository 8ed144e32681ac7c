using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Runtime;

/// <summary>
/// A differentiated graph compiled again by hand reads the first compile's gradient seed as a leaf. The session must
/// never run on a seed nobody set (it used to read as zeros): a non-scalar seed takes SetInput and Forward throws
/// until it is set; a scalar seed is 1, as Backward's default.
/// </summary>
[TestClass]
public sealed class ForeignSeedTests
{
    [TestMethod]
    public void VectorSeedOfAnEarlierCompile_ForwardThrowsUntilSet_ThenGivesTheVectorJacobianProduct()
    {
        var g = new GraphBuilder();
        Value w = g.Parameter("w", Tensor.FromArray([1f, 2f, 3f]));
        Value y = (w * w).Named("y");
        CompiledGraph first = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [y] });
        (Value seed, Value gradient) = SeedAndGradient(first);

        CompiledGraph again = GraphCompiler.Compile(first.Graph, new CompileOptions { Outputs = [gradient] });
        using var session = new Session(again);
        var e = Assert.ThrowsExactly<InvalidOperationException>(session.Forward);
        StringAssert.Contains(e.Message, $"'{seed.Name}'");
        StringAssert.Contains(e.Message, "gradient seed");

        session.SetInput(seed, Tensor.FromArray([1f, 10f, 100f]));
        session.Forward();
        CollectionAssert.AreEqual(new[] { 2f, 40f, 600f }, session.Output(gradient).ToArray<float>());
    }

    [TestMethod]
    public void ScalarSeedOfAnEarlierCompile_IsOne_AsBackwardSeedsAScalarRoot()
    {
        var g = new GraphBuilder();
        Value w = g.Parameter("w", Tensor.FromArray([1f, 2f, 3f]));
        Value loss = (w * w).Sum().Named("loss");
        CompiledGraph first = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        (_, Value gradient) = SeedAndGradient(first);

        using var reference = new Session(first);
        reference.Forward();
        reference.Backward();
        float[] expected = reference.Grad(w)!.ToArray<float>();

        using var session = new Session(GraphCompiler.Compile(first.Graph, new CompileOptions { Outputs = [gradient] }));
        session.Forward();
        CollectionAssert.AreEqual(expected, session.Output(gradient).ToArray<float>());
    }

    private static (Value Seed, Value Gradient) SeedAndGradient(CompiledGraph compiled)
    {
        BackwardPlan plan = compiled.Backward.Single();
        return (plan.Seed, plan.Accumulations.Single().Gradient);
    }
}
