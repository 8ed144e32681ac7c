using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Benchmarks;

/// <summary>
/// What CompileOptions.MemoryBudgetBytes costs in step time: one steady-state ResNet-18 training step on
/// [16, 3, 64, 64] (ResNet18StepBenchmarks' step) compiled with no budget and with budgets of 100%, 70% and 50% of the
/// unbudgeted plan's live lower bound, with the arena each budget gives (the Arena column). Allocated must read 0 B
/// for every budget.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WithArenaColumn))]
public class RematerializationBenchmarks
{
    private Session _session = null!;
    private Sgd _optimizer = null!;

    /// <summary>The budget as a percentage of the unbudgeted live lower bound; 0 compiles with no budget.</summary>
    [Params(0, 100, 70, 50)]
    public int BudgetPercent { get; set; }

    /// <summary>The training graph compiled under <paramref name="budgetPercent"/>% of the unbudgeted live lower bound (0: no budget), with its leaves.</summary>
    public static (CompiledGraph Compiled, Value Images, Value Labels) Compile(int budgetPercent)
    {
        (ComputeGraph graph, Value images, Value labels, Value loss) = BenchmarkModels.ResNet18Training(16, 64);
        long bound = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] }).Memory.LiveLowerBoundBytes;
        long? budget = budgetPercent == 0 ? null : bound * budgetPercent / 100;
        return (GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = budget }), images, labels);
    }

    [GlobalSetup]
    public void Setup()
    {
        (CompiledGraph compiled, Value images, Value labels) = Compile(BudgetPercent);
        _session = new Session(compiled);
        _session.SetInput(images, Tensor.Rand(new Shape(16, 3, 64, 64), 0));
        _session.SetInput(labels, Tensor.Rand(new Shape(16, 1000), 1));
        _optimizer = new Sgd(_session, lr: 0.01, momentum: 0.9);
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(Description = "ResNet-18 training step, 16×3×64×64, under a memory budget")]
    public void Step()
    {
        _optimizer.ZeroGrad();
        _session.Forward();
        _session.Backward();
        _optimizer.Step();
    }

    private sealed class WithArenaColumn : ManualConfig
    {
        public WithArenaColumn() => AddColumn(new ArenaColumn());
    }
}
