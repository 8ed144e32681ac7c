using BenchmarkDotNet.Attributes;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Benchmarks;

/// <summary>
/// The memory-bound kernels on one and on two threads: a fused elementwise run over 16M floats (three arrays of
/// 64 MB: bandwidth-bound), the 200-op chain forward and backward on 1000 floats (per-step overhead) and on 1M
/// floats, and an SGD-momentum step over the MLP's ~670K parameters. Allocated must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class MemoryBoundBenchmarks
{
    private const int Large = 16 << 20;

    private Session _fused = null!;
    private Session _tinyChain = null!;
    private Session _chain = null!;
    private Session _mlp = null!;
    private Sgd _sgd = null!;

    /// <summary>The sessions' thread count.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(Large));
        Value y = g.Input("y", new Shape(Large));
        Value r = ((x * 2.0) + 1.0).Relu() * y;
        _fused = Open(g.Build(), [], [r]);
        _fused.SetInput(x, Tensor.Rand(new Shape(Large), 1));
        _fused.SetInput(y, Tensor.Rand(new Shape(Large), 2));

        (ComputeGraph tiny, Value tinyLoss) = BenchmarkModels.TorchChain(200, 1000);
        _tinyChain = Open(tiny, [tinyLoss]);
        (ComputeGraph chain, Value chainLoss) = BenchmarkModels.TorchChain(200, 1 << 20);
        _chain = Open(chain, [chainLoss]);

        (ComputeGraph mlp, Value images, Value labels, Value mlpLoss) = BenchmarkModels.Mlp(64);
        _mlp = Open(mlp, [mlpLoss]);
        _mlp.SetInput(images, Tensor.Rand(new Shape(64, 784), 1));
        _mlp.SetInput(labels, Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray()));
        _sgd = new Sgd(_mlp, lr: 0.01, momentum: 0.9);
        _mlp.Forward();
        _mlp.Backward();
        _sgd.Step(); // the momentum buffers exist from here on: later steps are the steady state
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fused.Dispose();
        _tinyChain.Dispose();
        _chain.Dispose();
        _mlp.Dispose();
    }

    [Benchmark(Description = "relu(x·2+1)·y, 16M floats, forward")]
    public void FusedLarge() => _fused.Forward();

    [Benchmark(Description = "200-op chain, 1000 floats, forward+backward")]
    public void TinyChain() => Pass(_tinyChain);

    [Benchmark(Description = "200-op chain, 1M floats, forward+backward")]
    public void Chain() => Pass(_chain);

    [Benchmark(Description = "SGD momentum step, MLP 784-512-512-10 parameters")]
    public void SgdStep() => _sgd.Step();

    private static void Pass(Session session)
    {
        session.ZeroGrad();
        session.Forward();
        session.Backward();
    }

    private Session Open(ComputeGraph graph, Value[] roots, Value[]? outputs = null) =>
        new(GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = roots, Outputs = outputs ?? [] }), new SessionOptions { Threads = Threads });
}
