using Graph.Core;

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

    private static Tensor Scaled(Tensor t, double scale)
    {
        Span<float> values = t.AsSpan<float>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= (float)scale;
        }

        return t;
    }
}
