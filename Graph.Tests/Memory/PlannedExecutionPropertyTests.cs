using FsCheck;
using FsCheck.Fluent;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Memory;

/// <summary>
/// On random graphs of 5 to 60 ops: planned execution (shared, in-place, aliased memory) gives bitwise the
/// outputs and gradients of unplanned execution (every value its own bytes), and the plan never lets two
/// values alive at once share a byte, except a value and its own view or in-place update.
/// </summary>
[TestClass]
public sealed class PlannedExecutionPropertyTests
{
    [TestMethod]
    public void RandomGraphs_PlannedEqualsUnplannedBitwise_AndPlansAreSound()
    {
        Arbitrary<(int Seed, int Ops)> cases = Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(5, 60)).ToArbitrary();
        Prop.ForAll(cases, c => CheckOne(c.Seed, c.Ops)).QuickCheckThrowOnFailure();
    }

    private static void CheckOne(int seed, int ops)
    {
        (GraphBuilder g, Value[] inputs, Value loss) = RandomGraphs.Create(seed, ops);
        ComputeGraph graph = g.Build();
        CompiledGraph planned = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        CompiledGraph unplanned = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], PlanMemory = false });
        Assert.IsNull(MemoryPlanVerifier.FindDefect(planned), $"seed {seed}, {ops} ops");
        Assert.IsLessThanOrEqualTo(unplanned.Memory.ArenaBytes, planned.Memory.ArenaBytes);

        double[] expected = Run(unplanned, inputs[0], loss);
        double[] actual = Run(planned, inputs[0], loss);
        CollectionAssert.AreEqual(expected, actual, $"seed {seed}, {ops} ops");
    }

    /// <summary>The loss and every gradient, twice (a second backward after one forward must give the same again).</summary>
    private static double[] Run(CompiledGraph compiled, Value x, Value loss)
    {
        using var session = new Session(compiled, new SessionOptions { PoisonDeadBuffers = true });
        session.SetInput(x, Tensor.Randn(x.Shape, seed: 7, DType.Float64));
        session.Forward();
        session.Backward();
        double[] first = Snapshot(session, loss);
        session.ZeroGrad();
        session.Backward();
        return [.. first, .. Snapshot(session, loss)];
    }

    private static double[] Snapshot(Session session, Value loss) =>
        [
            .. session.Output(loss).ToDoubleArray(),
            .. session.Graph.Graph.Values.Where(v => v.IsLeaf && v.RequiresGrad).SelectMany(v => session.Grad(v)?.ToDoubleArray() ?? []),
        ];
}
