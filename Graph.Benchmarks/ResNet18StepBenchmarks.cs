using BenchmarkDotNet.Attributes;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Benchmarks;

/// <summary>
/// One steady-state ResNet-18 training step on [batch, 3, 64, 64] (zero_grad, forward, backward of
/// (prediction − labels).sum(), SGD with momentum), the side-by-side workload with the optimizer added.
/// Allocated must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class ResNet18StepBenchmarks
{
    private Session _session = null!;
    private Sgd _optimizer = null!;

    /// <summary>Images per step.</summary>
    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (ComputeGraph graph, Value images, Value labels, Value loss) = BenchmarkModels.ResNet18Training(Batch, 64);
        _session = new Session(GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] }));
        _session.SetInput(images, Tensor.Rand(new Shape(Batch, 3, 64, 64), 0));
        _session.SetInput(labels, Tensor.Rand(new Shape(Batch, 1000), 1));
        _optimizer = new Sgd(_session, lr: 0.01, momentum: 0.9);
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(Description = "ResNet-18 training step, 64×64")]
    public void Step()
    {
        _optimizer.ZeroGrad();
        _session.Forward();
        _session.Backward();
        _optimizer.Step();
    }
}
