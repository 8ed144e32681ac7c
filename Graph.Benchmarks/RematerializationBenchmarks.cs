using BenchmarkDotNet.Attributes;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Benchmarks;

/// <summary>
/// What CompileOptions.MemoryBudgetBytes costs in step time: one steady-state ResNet-18 training step on
/// [16, 3, 64, 64] (ResNet18StepBenchmarks' step) compiled with no budget and with budgets of 100%, 70% and 50% of the
/// unbudgeted plan's live lower bound. Allocated must read 0 B for every budget.
/// </summary>
[MemoryDiagnoser]
public class RematerializationBenchmarks
{
    private Session _session = null!;
    private Sgd _optimizer = null!;

    /// <summary>The budget as a percentage of the unbudgeted live lower bound; 0 compiles with no budget.</summary>
    [Params(0, 100, 70, 50)]
    public int BudgetPercent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (ComputeGraph graph, Value images, Value labels, Value loss) = BenchmarkModels.ResNet18Training(16, 64);
        long bound = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] }).Memory.LiveLowerBoundBytes;
        long? budget = BudgetPercent == 0 ? null : bound * BudgetPercent / 100;
        _session = new Session(GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss], MemoryBudgetBytes = budget }));
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
}
