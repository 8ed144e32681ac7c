using Graph.Core;

namespace Graph.Tests.Memory;

/// <summary>Wide graphs: many small branches whose values all live until the backward pass, the worst case for planning.</summary>
internal static class WideGraphs
{
    /// <summary>
    /// <paramref name="branches"/> branches tanh(w·cᵢ) summed in a chain: 3 forward ops per branch, each tanh alive to
    /// the end (its gradient reads it), and 5 backward ops, so 8 ops and 4 storages per branch once compiled.
    /// </summary>
    public static (GraphBuilder Builder, Value W, Value Loss) Create(int branches, int size = 8)
    {
        var g = new GraphBuilder();
        Value w = g.Parameter("w", Tensor.Rand(new Shape(size), seed: 3));
        Value sum = (w * 0.5).Tanh();
        for (int i = 1; i < branches; i++)
        {
            sum += (w * (1.0 / (i + 1))).Tanh();
        }

        return (g, w, sum.Sum().Named("loss"));
    }
}
