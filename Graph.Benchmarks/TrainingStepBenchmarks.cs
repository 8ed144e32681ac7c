using BenchmarkDotNet.Attributes;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Benchmarks;

/// <summary>
/// One steady-state training step (zero_grad, forward, backward, SGD with momentum) of the MLP and of the
/// 200-op chain, with the memory plan against one buffer per value. Allocated must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Session _mlp = null!;
    private Sgd _mlpOptimizer = null!;
    private Session _chain = null!;
    private Sgd _chainOptimizer = null!;

    /// <summary>Whether the compiler plans memory (false: every intermediate its own buffer).</summary>
    [Params(true, false)]
    public bool Planned { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (ComputeGraph mlp, Value images, Value labels, Value mlpLoss) = BenchmarkModels.Mlp(64);
        _mlp = new Session(GraphCompiler.Compile(mlp, new CompileOptions { GradientRoots = [mlpLoss], PlanMemory = Planned }));
        _mlp.SetInput(images, Tensor.Rand(new Shape(64, 784), 1));
        _mlp.SetInput(labels, Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray()));
        _mlpOptimizer = new Sgd(_mlp, lr: 0.01, momentum: 0.9);

        // 64K elements: one buffer per value of a 1M-element chain would not fit one 2 GB arena.
        (ComputeGraph chain, Value x, Value chainLoss) = BenchmarkModels.Chain(200, 1 << 16);
        _chain = new Session(GraphCompiler.Compile(chain, new CompileOptions { GradientRoots = [chainLoss], PlanMemory = Planned }));
        _chain.SetInput(x, Tensor.Rand(new Shape(1 << 16), 2));
        _chainOptimizer = new Sgd(_chain, lr: 0.01, momentum: 0.9);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _mlp.Dispose();
        _chain.Dispose();
    }

    [Benchmark(Description = "MLP 784-512-512-10, batch 64")]
    public void MlpStep() => Step(_mlp, _mlpOptimizer);

    [Benchmark(Description = "200-op chain, 64K elements")]
    public void ChainStep() => Step(_chain, _chainOptimizer);

    private static void Step(Session session, Sgd optimizer)
    {
        optimizer.ZeroGrad();
        session.Forward();
        session.Backward();
        optimizer.Step();
    }
}
