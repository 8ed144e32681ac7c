using Graph.Core;
using Graph.Core.Modules;

namespace Graph.Benchmarks;

/// <summary>The graphs the benchmarks run.</summary>
internal static class BenchmarkModels
{
    /// <summary>A 784-512-512-10 MLP with ReLU and cross-entropy at the given batch size.</summary>
    public static (ComputeGraph Graph, Value Images, Value Labels, Value Loss) Mlp(int batch)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(batch, 784));
        Value labels = g.Input("labels", new Shape(batch), DType.Int64);
        int[] widths = [784, 512, 512, 10];
        Value h = x;
        for (int layer = 1; layer < widths.Length; layer++)
        {
            Value w = g.Parameter($"fc{layer}.weight", Scaled(Tensor.Randn(new Shape(widths[layer], widths[layer - 1]), layer), 1 / Math.Sqrt(widths[layer - 1])));
            Value b = g.Parameter($"fc{layer}.bias", Tensor.Zeros(new Shape(widths[layer])));
            h = Ops.Linear(h, w, b);
            h = layer < widths.Length - 1 ? h.Relu() : h;
        }

        Value loss = Ops.CrossEntropy(h, labels);
        return (g.Build(), x, labels, loss);
    }

    /// <summary>A chain of <paramref name="ops"/> elementwise ops on <paramref name="size"/> elements ending in a mean.</summary>
    public static (ComputeGraph Graph, Value Input, Value Loss) Chain(int ops, int size)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(size));
        Value w = g.Parameter("w", Tensor.Rand(new Shape(size), 1));
        Value h = x * w;
        for (int i = 1; i < ops - 1; i++)
        {
            h = (i % 4) switch
            {
                0 => (h * 0.5).Tanh(),
                1 => h + w,
                2 => h.Sigmoid() * h,
                _ => h - (w * 0.25),
            };
        }

        Value loss = h.Pow(2).Mean();
        return (g.Build(), x, loss);
    }

    /// <summary>
    /// bench_torch.py's chain: leaves x and w, then <paramref name="ops"/> ops cycling y·w, y + x, tanh, sigmoid,
    /// then a sum. Both leaves require gradients, as there.
    /// </summary>
    public static (ComputeGraph Graph, Value Loss) TorchChain(int ops, int size)
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Symmetric(Tensor.Rand(new Shape(size), 0)));
        Value w = g.Parameter("w", Symmetric(Tensor.Rand(new Shape(size), 1)));
        Value y = x;
        for (int i = 0; i < ops; i++)
        {
            y = (i % 4) switch
            {
                0 => y * w,
                1 => y + x,
                2 => y.Tanh(),
                _ => y.Sigmoid(),
            };
        }

        Value loss = y.Sum();
        return (g.Build(), loss);
    }

    /// <summary>
    /// relu(x·2 + 1)·y on two inputs of <paramref name="size"/> elements, forward only: compile it with the output
    /// alone (no gradient roots), as bench_torch.py runs <c>torch.relu(x * 2 + 1) * y</c> under no_grad.
    /// </summary>
    public static (ComputeGraph Graph, Value X, Value Y, Value Output) ReluAffineMul(int size)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(size));
        Value y = g.Input("y", new Shape(size));
        Value output = ((x * 2.0) + 1.0).Relu() * y;
        return (g.Build(), x, y, output);
    }

    /// <summary>ResNet-18 (1000 classes) in training mode on [batch, 3, size, size], with bench_torch.py's loss: (prediction − labels).sum().</summary>
    public static (ComputeGraph Graph, Value Images, Value Labels, Value Loss) ResNet18Training(int batch, int size)
    {
        var g = new GraphBuilder();
        var model = new ResNet18(new ModuleBuilder(g, seed: 0, training: true));
        Value x = g.Input("x", new Shape(batch, 3, size, size));
        Value labels = g.Input("labels", new Shape(batch, 1000));
        Value loss = (model.Forward(x) - labels).Sum();
        return (g.Build(), x, labels, loss);
    }

    /// <summary>ResNet-18 (1000 classes) in evaluation mode on [batch, 3, size, size]: the forward pass only.</summary>
    public static (ComputeGraph Graph, Value Images, Value Prediction) ResNet18Eval(int batch, int size)
    {
        var g = new GraphBuilder();
        var model = new ResNet18(new ModuleBuilder(g, seed: 0, training: false));
        Value x = g.Input("x", new Shape(batch, 3, size, size));
        Value prediction = model.Forward(x);
        return (g.Build(), x, prediction);
    }

    /// <summary>
    /// Layer norm over the last axis of x [batch, length, width] with weight and bias [width], then a sum; x, weight
    /// and bias are parameters drawn from rand, so all three get gradients, as bench_torch.py's leaves.
    /// </summary>
    public static (ComputeGraph Graph, Value Loss) LayerNorm(int batch, int length, int width)
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.Rand(new Shape(batch, length, width), 0));
        Value weight = g.Parameter("weight", Tensor.Rand(new Shape(width), 1));
        Value bias = g.Parameter("bias", Tensor.Rand(new Shape(width), 2));
        Value loss = Ops.LayerNorm(x, [width], weight, bias).Sum();
        return (g.Build(), loss);
    }

    /// <summary>
    /// Scaled dot-product attention of q, k, v [batch, heads, length, width / heads] (causal on request), then a sum;
    /// q, k and v are parameters drawn from rand, so all three get gradients.
    /// </summary>
    public static (ComputeGraph Graph, Value Loss) Attention(int batch, int length, int width, int heads, bool causal)
    {
        var g = new GraphBuilder();
        var shape = new Shape(batch, heads, length, width / heads);
        Value q = g.Parameter("q", Tensor.Rand(shape, 0));
        Value k = g.Parameter("k", Tensor.Rand(shape, 1));
        Value v = g.Parameter("v", Tensor.Rand(shape, 2));
        Value loss = Ops.ScaledDotProductAttention(q, k, v, causal).Sum();
        return (g.Build(), loss);
    }

    /// <summary>
    /// One pre-norm <see cref="TransformerEncoderLayer"/> (GELU, feed-forward 4 × width, dropout 0, torch's init with
    /// seed 0) on the input x [batch, length, width], without a mask, then a sum of its output.
    /// </summary>
    public static (ComputeGraph Graph, Value Input, Value Loss) TransformerLayer(int batch, int length, int width, int heads)
    {
        var g = new GraphBuilder();
        var layer = new TransformerEncoderLayer(new ModuleBuilder(g, seed: 0, training: true), string.Empty, width, heads, dimFeedforward: 4 * width, dropout: 0, activation: TransformerEncoderLayer.Gelu, normFirst: true);
        Value x = g.Input("x", new Shape(batch, length, width));
        Value loss = layer.Forward(x, causal: false).Sum();
        return (g.Build(), x, loss);
    }

    /// <summary>
    /// <paramref name="branches"/> branches tanh(w·cᵢ) of 8 elements summed in a chain: three forward ops per branch,
    /// each tanh alive until the backward pass reads it, and five backward ops, so 8 ops per branch once compiled
    /// (12,500 branches: 100,001 ops); the planner's worst case.
    /// </summary>
    public static (ComputeGraph Graph, Value Loss) Wide(int branches)
    {
        var g = new GraphBuilder();
        Value w = g.Parameter("w", Tensor.Rand(new Shape(8), 3));
        Value sum = (w * 0.5).Tanh();
        for (int i = 1; i < branches; i++)
        {
            sum += (w * (1.0 / (i + 1))).Tanh();
        }

        Value loss = sum.Sum();
        return (g.Build(), loss);
    }

    private static Tensor Scaled(Tensor t, double scale)
    {
        Span<float> values = t.AsSpan<float>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= (float)scale;
        }

        return t;
    }

    // rand * 2 - 1, as bench_torch.py draws its chain's leaves.
    private static Tensor Symmetric(Tensor t)
    {
        Span<float> values = t.AsSpan<float>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (values[i] * 2) - 1;
        }

        return t;
    }
}
