using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Memory;

/// <summary>The memory plan is close to the least any plan could use, and far below one buffer per value.</summary>
[TestClass]
public sealed class PlanSizeTests
{
    [TestMethod]
    public void MlpTrainingStep_ArenaIsNearLiveLowerBound()
    {
        (GraphBuilder g, _, _, Value loss) = TestModels.Mlp(64, [784, 512, 512, 10]);
        MemoryPlan plan = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }).Memory;

        AssertNearOptimal(plan);
    }

    [TestMethod]
    public void ElementwiseChain200_ForwardAndBackward_ArenaIsNearLiveLowerBound()
    {
        (GraphBuilder g, _, Value loss) = TestModels.ElementwiseChain(200, 4096);
        MemoryPlan plan = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }).Memory;

        AssertNearOptimal(plan);
    }

    [TestMethod]
    public void ElementwiseChain3000_PastTheGreedyLimit_SweepArenaIsNearLiveLowerBound()
    {
        (GraphBuilder g, _, Value loss) = TestModels.ElementwiseChain(3000, 4096);
        MemoryPlan plan = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }).Memory;

        Assert.IsGreaterThan(Graph.Core.Planning.PlanMemory.GreedyLimit, plan.Buffers.Select(b => b.Storage).Distinct().Count(), "the sweep places this plan");
        AssertNearOptimal(plan);
    }

    [TestMethod]
    public void ResNet18TrainingStep_Batch16At64x64_ArenaIsNearLiveLowerBound()
    {
        var g = new GraphBuilder();
        var model = new ResNet18(new ModuleBuilder(g));
        Value prediction = model.Forward(g.Input("x", new Shape(16, 3, 64, 64)));
        Value loss = (prediction - g.Input("labels", new Shape(16, 1000))).Sum();
        MemoryPlan plan = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }).Memory;

        AssertNearOptimal(plan);
    }

    [TestMethod]
    public void ForwardOnlyPlan_NeedsAFractionOfTheTrainingPlan()
    {
        (GraphBuilder g, _, Value loss) = TestModels.ElementwiseChain(200, 4096);
        ComputeGraph graph = g.Build();
        long training = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] }).Memory.ArenaBytes;
        long inference = GraphCompiler.Compile(graph, new CompileOptions { Outputs = [loss] }).Memory.ArenaBytes;

        Assert.IsLessThanOrEqualTo(training / 10, inference, $"inference {inference:N0} B vs training {training:N0} B");
    }

    private static void AssertNearOptimal(MemoryPlan plan)
    {
        string report = $"arena {plan.ArenaBytes:N0} B, live lower bound {plan.LiveLowerBoundBytes:N0} B, unplanned {plan.UnplannedBytes:N0} B";
        Console.WriteLine(report);
        Assert.IsLessThanOrEqualTo(1.10 * plan.LiveLowerBoundBytes, plan.ArenaBytes, report);
        Assert.IsLessThanOrEqualTo(0.5 * plan.UnplannedBytes, plan.ArenaBytes, report);
    }
}
