using BenchmarkDotNet.Attributes;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Benchmarks;

/// <summary>
/// The transformer workloads of the side-by-side benchmark (batch 8, sequence 128, width 256, 4 heads): layer norm
/// and attention forward and backward, and a training step of one pre-norm GELU encoder layer with AdamW.
/// Allocated must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class TransformerBenchmarks
{
    private const int Batch = 8;
    private const int Length = 128;
    private const int Width = 256;
    private const int Heads = 4;

    private Session _layerNorm = null!;
    private Session _attention = null!;
    private Session _causalAttention = null!;
    private Session _layer = null!;
    private AdamW _layerOptimizer = null!;

    [GlobalSetup]
    public void Setup()
    {
        (ComputeGraph layerNorm, Value layerNormLoss) = BenchmarkModels.LayerNorm(Batch, Length, Width);
        _layerNorm = Open(layerNorm, layerNormLoss);
        (ComputeGraph attention, Value attentionLoss) = BenchmarkModels.Attention(Batch, Length, Width, Heads, causal: false);
        _attention = Open(attention, attentionLoss);
        (ComputeGraph causal, Value causalLoss) = BenchmarkModels.Attention(Batch, Length, Width, Heads, causal: true);
        _causalAttention = Open(causal, causalLoss);
        (ComputeGraph layer, Value x, Value layerLoss) = BenchmarkModels.TransformerLayer(Batch, Length, Width, Heads);
        _layer = Open(layer, layerLoss);
        _layer.SetInput(x, Tensor.Rand(new Shape(Batch, Length, Width), 0));
        _layerOptimizer = new AdamW(_layer, lr: 1e-4);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _layerNorm.Dispose();
        _attention.Dispose();
        _causalAttention.Dispose();
        _layer.Dispose();
    }

    [Benchmark(Description = "LayerNorm [8, 128, 256], forward + backward")]
    public void LayerNorm() => ForwardBackward(_layerNorm);

    [Benchmark(Description = "Attention 8 × 4 heads × 128 × 64, forward + backward")]
    public void Attention() => ForwardBackward(_attention);

    [Benchmark(Description = "Causal attention 8 × 4 heads × 128 × 64, forward + backward")]
    public void CausalAttention() => ForwardBackward(_causalAttention);

    [Benchmark(Description = "TransformerEncoderLayer 256, 4 heads, ff 1024, pre-norm GELU: training step with AdamW")]
    public void TransformerLayerStep()
    {
        _layerOptimizer.ZeroGrad();
        _layer.Forward();
        _layer.Backward();
        _layerOptimizer.Step();
    }

    private static Session Open(ComputeGraph graph, Value loss) =>
        new(GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = [loss] }));

    private static void ForwardBackward(Session session)
    {
        session.ZeroGrad();
        session.Forward();
        session.Backward();
    }
}
