using System.Diagnostics;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Memory;

/// <summary>
/// Memory planning of large graphs is O(n log n): compiling a wide graph ten times larger takes at most 20 times
/// as long (about 11 for n log n; the quadratic planner measured 43 here) (the issue measured 75k values in 13.4 s and 150k in 63 s with the quadratic planner), and the plan of
/// a graph past the greedy planner's limit is sound and runs bitwise like unplanned memory.
/// </summary>
[TestClass]
public sealed class PlanScalingTests
{
    [TestMethod]
    public void WideGraph_TenTimesTheOps_CompilesInFarLessThanAHundredTimesTheTime()
    {
        ComputeGraph small = Build(branches: 3_000, out Value smallLoss);   // 24k ops with the backward, 12k storages
        ComputeGraph large = Build(branches: 30_000, out Value largeLoss);  // 240k ops, 120k storages
        Compile(small, smallLoss); // JIT

        // The least of a few runs: another process can only make a run slower, never faster.
        double smallSeconds = Enumerable.Range(0, 3).Min(_ => Time(() => Compile(small, smallLoss)));
        double largeSeconds = Enumerable.Range(0, 2).Min(_ => Time(() => Compile(large, largeLoss)));

        // Quadratic planning would take 100 times as long (it took 63 s at 150k values against 13 s at 75k); linear
        // work measures 10–25 times, the spread being the garbage collector's, whose full collections grow with the
        // test process's heap. 40 separates the two with room on either side.
        Assert.IsLessThanOrEqualTo(40.0, largeSeconds / smallSeconds, $"{smallSeconds:F3} s for 3k branches, {largeSeconds:F3} s for 30k");
    }

    [TestMethod]
    public void WideGraphPastTheGreedyLimit_PlanIsSound_AndRunsLikeUnplanned()
    {
        ComputeGraph graph = Build(branches: 2_000, out Value loss);
        CompiledGraph planned = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        CompiledGraph unplanned = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], PlanMemory = false });
        int storages = planned.Memory.Buffers.Select(b => b.Storage).Distinct().Count();
        Assert.IsGreaterThan(Graph.Core.Planning.PlanMemory.GreedyLimit, storages, "the graph must be placed by the sweep");

        Assert.IsNull(MemoryPlanVerifier.FindDefect(planned));
        Assert.IsLessThanOrEqualTo(unplanned.Memory.ArenaBytes / 2, planned.Memory.ArenaBytes);
        CollectionAssert.AreEqual(Run(unplanned, loss), Run(planned, loss));
    }

    private static ComputeGraph Build(int branches, out Value loss)
    {
        (GraphBuilder g, _, loss) = WideGraphs.Create(branches);
        return g.Build();
    }

    // The compiler as users run it: without the pass verification the test settings turn on, which checks every
    // node's shape rule again after each pass and is a debugging aid with costs of its own.
    private static CompiledGraph Compile(ComputeGraph graph, Value loss) =>
        GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], VerifyPasses = false });

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static float[] Run(CompiledGraph compiled, Value loss)
    {
        using var session = new Session(compiled, new SessionOptions { PoisonDeadBuffers = true, Threads = 1 });
        session.Forward();
        session.Backward();
        return [.. session.Output(loss).ToArray<float>(), .. session.Grad(session.Parameters[0])!.ToArray<float>()];
    }
}
