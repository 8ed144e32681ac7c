using System.Globalization;
using System.Text.RegularExpressions;
using Graph.Compiler;
using Graph.Compiler.Passes.Rematerialization;
using Graph.Core;
using Graph.Core.Modules;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Memory;

/// <summary>
/// CompileOptions.MemoryBudgetBytes: forward values are recomputed during backward until the arena fits, the gradients
/// stay bitwise those of the unbudgeted plan, a budget the plan already meets changes nothing, and an impossible one
/// is refused with the smallest feasible budget.
/// </summary>
[TestClass]
public sealed partial class RematerializationTests
{
    [TestMethod]
    public void Mlp_BudgetBelowTheArena_RecomputesAndFits()
    {
        (GraphBuilder g, Value x, Value labels, Value loss) = TestModels.Mlp(64, [784, 512, 512, 512, 10]);
        ComputeGraph graph = g.Build();
        CompiledGraph unbudgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        long budget = unbudgeted.Memory.ArenaBytes * 9 / 10;
        CompiledGraph budgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = budget });

        Console.WriteLine($"MLP: arena {unbudgeted.Memory.ArenaBytes:N0} B unbudgeted, {budgeted.Memory.ArenaBytes:N0} B under a budget of {budget:N0} B");
        Assert.IsLessThanOrEqualTo(budget, budgeted.Memory.ArenaBytes);
        Assert.IsNotEmpty(Recomputed(budgeted), "some forward value is recomputed during backward");
        AssertSameSteps(unbudgeted, budgeted, [x, labels], [Tensor.Rand(new Shape(64, 784), 1), Labels(64, 10)]);
    }

    [TestMethod]
    public void ConvolutionalNetWithBatchNormAndDropout_FourFifthsOfTheArena_GradientsAndRunningStatisticsBitwise()
    {
        (ComputeGraph graph, Value x, Value loss) = SmallCnn();
        CompiledGraph unbudgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        long budget = unbudgeted.Memory.ArenaBytes * 4 / 5;
        CompiledGraph budgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = budget });

        Console.WriteLine($"CNN: arena {unbudgeted.Memory.ArenaBytes:N0} B unbudgeted, {budgeted.Memory.ArenaBytes:N0} B under a budget of {budget:N0} B");
        Assert.IsLessThanOrEqualTo(budget, budgeted.Memory.ArenaBytes);
        Value[] recomputed = Recomputed(budgeted);
        Assert.Contains(v => v.Op?.Name == "batch_norm", recomputed, "batch norm outputs are recomputed");
        Assert.DoesNotContain(v => v.Op?.Name == "dropout_mask", recomputed, "a dropout mask is never drawn again");
        Assert.IsTrue(
            recomputed.Where(v => v.Op?.Name == "batch_norm").All(v => v.Attributes.Values["update_running_stats"] is false),
            "recomputed batch norms leave the running statistics alone");
        AssertSameSteps(unbudgeted, budgeted, [x], [Tensor.Rand(new Shape(8, 3, 16, 16), 1)]);
    }

    [TestMethod]
    public void BudgetAtTheUnbudgetedArena_ChangesNothing()
    {
        (ComputeGraph graph, _, Value loss) = SmallCnn();
        CompiledGraph unbudgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        foreach (long budget in new[] { unbudgeted.Memory.ArenaBytes, 2 * unbudgeted.Memory.ArenaBytes })
        {
            CompiledGraph budgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = budget });

            Assert.AreEqual(unbudgeted.ToString(), budgeted.ToString(), $"budget {budget:N0} B");
            Assert.AreEqual(unbudgeted.Memory.ArenaBytes, budgeted.Memory.ArenaBytes);
        }
    }

    [TestMethod]
    public void BudgetBelowWhatRecomputingReaches_IsRefusedWithTheSmallestFeasibleBudget()
    {
        (ComputeGraph graph, _, Value loss) = SmallCnn();

        var refusal = Assert.Throws<GraphBuildException>(() => GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = 1024 }));

        StringAssert.Contains(refusal.Message, "MemoryBudgetBytes is 1,024 B");
        Match smallest = SmallestFeasible().Match(refusal.Message);
        Assert.IsTrue(smallest.Success, refusal.Message);
        long feasible = long.Parse(smallest.Groups[1].Value, CultureInfo.InvariantCulture);
        CompiledGraph atTheLeast = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = feasible });
        Assert.AreEqual(feasible, atTheLeast.Memory.ArenaBytes, "the budget named is the arena of a plan the pass finds");
        Assert.Throws<GraphBuildException>(() => GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = feasible - 1 }));
    }

    [TestMethod]
    public void NegativeBudget_IsRefused()
    {
        (ComputeGraph graph, _, Value loss) = SmallCnn();

        var refusal = Assert.Throws<ArgumentException>(() => GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = -1 }));

        StringAssert.Contains(refusal.Message, "at least 0 bytes");
    }

    [TestMethod]
    public void ResNet18Training16x3x64x64_ArenaFitsBudgetsOfTheLiveLowerBound()
    {
        (ComputeGraph graph, _, _, Value loss) = ResNet18(16);
        CompiledGraph unbudgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        long bound = unbudgeted.Memory.LiveLowerBoundBytes;
        Console.WriteLine($"ResNet-18 16×3×64×64: arena {unbudgeted.Memory.ArenaBytes:N0} B, live lower bound {bound:N0} B");
        foreach (int percent in new[] { 100, 70, 50 })
        {
            long budget = bound * percent / 100;
            CompiledGraph budgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = budget });
            Value[] recomputed = Recomputed(budgeted);
            Console.WriteLine($"  {percent}%: budget {budget:N0} B, arena {budgeted.Memory.ArenaBytes:N0} B, {recomputed.Length} values recomputed, {recomputed.Sum(RecomputeCost.Flops) / 1e9:F3} GFLOP");

            Assert.IsLessThanOrEqualTo(budget, budgeted.Memory.ArenaBytes, $"{percent}% of the live lower bound");
        }
    }

    [TestMethod]
    public void ResNet18Training_HalfTheLiveLowerBound_StepIsBitwiseTheUnbudgetedOne()
    {
        (ComputeGraph graph, Value images, Value labels, Value loss) = ResNet18(16);
        CompiledGraph unbudgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] });
        CompiledGraph budgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = unbudgeted.Memory.LiveLowerBoundBytes / 2 });

        AssertSameSteps(unbudgeted, budgeted, [images, labels], [Tensor.Rand(new Shape(16, 3, 64, 64), 1), Tensor.Rand(new Shape(16, 1000), 2)]);
    }

    [TestMethod]
    public void ResNet18Training_BudgetOfTheSqrtCheckpointArena_RecomputesNoMoreThanSqrtCheckpoints()
    {
        (ComputeGraph graph, _, _, Value loss) = ResNet18(16);
        var options = new CompileOptions { GradientRoots = [loss] };
        CompiledGraph sqrt = GraphCompiler.CompileWithRecomputed(graph, options, RecomputeOrder.SqrtCheckpoints);
        CompiledGraph costModel = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = sqrt.Memory.ArenaBytes });
        double sqrtFlops = Recomputed(sqrt).Sum(RecomputeCost.Flops);
        double costModelFlops = Recomputed(costModel).Sum(RecomputeCost.Flops);

        Console.WriteLine($"√n checkpoints: arena {sqrt.Memory.ArenaBytes:N0} B, {sqrtFlops / 1e9:F3} GFLOP recomputed; budgeted: arena {costModel.Memory.ArenaBytes:N0} B, {costModelFlops / 1e9:F3} GFLOP");
        Assert.IsLessThanOrEqualTo(sqrt.Memory.ArenaBytes, costModel.Memory.ArenaBytes);
        Assert.IsLessThanOrEqualTo(sqrtFlops, costModelFlops);
    }

    [GeneratedRegex(@"at least (\d+) \(the smallest feasible budget\)")]
    private static partial Regex SmallestFeasible();

    private static Value[] Recomputed(CompiledGraph compiled) =>
        compiled.Backward.SelectMany(b => b.Tape.Steps).Where(v => v.Name.Contains(".recompute", StringComparison.Ordinal)).ToArray();

    private static Tensor Labels(int batch, int classes) =>
        Tensor.FromArray(Enumerable.Range(0, batch).Select(i => (long)(i % classes)).ToArray(), batch);

    // Two SGD steps of each plan: losses, gradients, running statistics and parameters must agree bit for bit.
    private static void AssertSameSteps(CompiledGraph expected, CompiledGraph actual, Value[] inputs, Tensor[] data)
    {
        float[] Steps(CompiledGraph compiled)
        {
            using var session = new Session(compiled);
            for (int i = 0; i < inputs.Length; i++)
            {
                session.SetInput(inputs[i], data[i]);
            }

            var sgd = new Sgd(session, lr: 0.01, momentum: 0.9);
            var result = new List<float>();
            for (int step = 0; step < 2; step++)
            {
                sgd.ZeroGrad();
                session.Forward();
                session.Backward();
                result.Add(session.Output(compiled.GradientRoots[0]).AsSpan<float>()[0]);
                foreach (Value p in session.Parameters)
                {
                    result.AddRange(session.Grad(p)?.ToArray<float>() ?? []);
                }

                sgd.Step();
            }

            foreach (Value p in session.Parameters)
            {
                result.AddRange(session.ParameterValue(p).ToArray<float>());
            }

            return [.. result];
        }

        float[] reference = Steps(expected);
        float[] budgeted = Steps(actual);
        Assert.HasCount(reference.Length, budgeted);
        for (int i = 0; i < reference.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(reference[i]) != BitConverter.SingleToInt32Bits(budgeted[i]))
            {
                Assert.Fail($"Element {i} of the steps' results differs: {reference[i]:R} unbudgeted, {budgeted[i]:R} with recomputation.");
            }
        }
    }

    // conv → batch norm (training) → relu → conv → batch norm → relu → dropout → max pool → linear → sum of squares.
    private static (ComputeGraph Graph, Value Input, Value Loss) SmallCnn()
    {
        var g = new GraphBuilder();
        var nn = new ModuleBuilder(g, seed: 3, training: true);
        Value x = g.Input("x", new Shape(8, 3, 16, 16));
        Value h = x;
        int channels = 3;
        for (int layer = 0; layer < 2; layer++)
        {
            using (nn.Scope($"block{layer}"))
            {
                Value w = nn.Parameter("conv.weight", nn.Normal(new Shape(16, channels, 3, 3), 0.2));
                Value gamma = nn.Parameter("bn.weight", Tensor.Full(new Shape(16), 1.0));
                Value beta = nn.Parameter("bn.bias", Tensor.Full(new Shape(16), 0.0));
                Value mean = nn.Parameter("bn.running_mean", Tensor.Full(new Shape(16), 0.0), requiresGrad: false);
                Value variance = nn.Parameter("bn.running_var", Tensor.Full(new Shape(16), 1.0), requiresGrad: false);
                h = Ops.BatchNorm2d(Ops.Conv2d(h, w, null, padding: 1), gamma, beta, mean, variance, training: true).Relu();
                channels = 16;
            }
        }

        h = Ops.MaxPool2d(Ops.Dropout(h, 0.25, training: true, seed: 5), 2);
        Value fc = nn.Parameter("fc.weight", nn.Normal(new Shape(10, 16 * 8 * 8), 0.05));
        Value logits = Ops.Linear(h.Reshape(8, 16 * 8 * 8), fc, null);
        Value loss = (logits * logits).Sum().Named("loss");
        return (g.Build(), x, loss);
    }

    private static (ComputeGraph Graph, Value Images, Value Labels, Value Loss) ResNet18(int batch)
    {
        var g = new GraphBuilder();
        var model = new ResNet18(new ModuleBuilder(g, seed: 0, training: true));
        Value x = g.Input("x", new Shape(batch, 3, 64, 64));
        Value labels = g.Input("labels", new Shape(batch, 1000));
        Value loss = (model.Forward(x) - labels).Sum();
        return (g.Build(), x, labels, loss);
    }
}
