using Graph.Core;

namespace Graph.Tests.TestSupport;

/// <summary>Graphs several test classes use.</summary>
internal static class TestModels
{
    /// <summary>A multilayer perceptron with ReLU and cross-entropy; returns its builder, inputs and loss.</summary>
    public static (GraphBuilder Builder, Value Images, Value Labels, Value Loss) Mlp(int batch, int[] widths, DType dtype = DType.Float32, int seed = 0)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(batch, widths[0]), dtype);
        Value labels = g.Input("labels", new Shape(batch), DType.Int64);
        Value h = x;
        for (int layer = 1; layer < widths.Length; layer++)
        {
            double bound = 1 / Math.Sqrt(widths[layer - 1]);
            Value w = g.Parameter($"fc{layer}.weight", Uniform(new Shape(widths[layer], widths[layer - 1]), bound, seed + layer, dtype));
            Value b = g.Parameter($"fc{layer}.bias", Uniform(new Shape(widths[layer]), bound, seed + 100 + layer, dtype));
            h = Ops.Linear(h, w, b);
            if (layer < widths.Length - 1)
            {
                h = h.Relu();
            }
        }

        return (g, x, labels, Ops.CrossEntropy(h, labels).Named("loss"));
    }

    /// <summary>A chain of <paramref name="ops"/> elementwise ops on <paramref name="size"/> elements, with a parameter, ending in a mean.</summary>
    public static (GraphBuilder Builder, Value Input, Value Loss) ElementwiseChain(int ops, int size, int seed = 0)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(size));
        Value w = g.Parameter("w", Uniform(new Shape(size), 1, seed, DType.Float32));
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

        return (g, x, h.Pow(2).Mean().Named("loss"));
    }

    /// <summary>Uniform values in [−bound, bound).</summary>
    public static Tensor Uniform(Shape shape, double bound, int seed, DType dtype = DType.Float32)
    {
        Tensor t = Tensor.Rand(shape, seed, DType.Float64);
        Tensor result = Tensor.Zeros(shape, dtype);
        double[] values = t.ToDoubleArray();
        for (int i = 0; i < values.Length; i++)
        {
            result.SetDouble(i, ((2 * values[i]) - 1) * bound);
        }

        return result;
    }
}
