using Graph.Core;

namespace Graph.Tests.Memory;

/// <summary>Random float64 graphs of elementwise, broadcasting, reduction, shape and matrix ops, for property tests.</summary>
internal static class RandomGraphs
{
    /// <summary>A graph of about <paramref name="opCount"/> ops from <paramref name="seed"/>: its builder, its inputs and a scalar loss.</summary>
    public static (GraphBuilder Builder, Value[] Inputs, Value Loss) Create(int seed, int opCount)
    {
        var random = new SeededRandom(seed);
        var g = new GraphBuilder();
        var pool = new List<Value>
        {
            g.Input("x", new Shape(3, 4), DType.Float64, requiresGrad: true),
            g.Parameter("w", Tensor.Randn(new Shape(4, 4), seed, DType.Float64)),
            g.Parameter("b", Tensor.Randn(new Shape(4), seed + 1, DType.Float64)),
        };
        Value Pick() => pool[random.NextInt(pool.Count)];

        while (pool.Count < opCount + 3)
        {
            Value a = Pick();
            Value? made = random.NextInt(12) switch
            {
                0 => a.Tanh(),
                1 => a.Sigmoid() * a,
                2 => a.Relu() + 0.5,
                3 => (-a).Abs(),
                4 => a.Tanh().Exp(),
                5 => Broadcastable(a, Pick()) is Value b ? a * b : null,
                6 => Broadcastable(a, Pick()) is Value b ? a - b : null,
                7 => a.Shape.Rank > 0 ? a.Sum([random.NextInt(a.Shape.Rank)], keepDim: true) : null,
                8 => a.Shape.Rank == 2 && a.Shape[1] == 4 ? a.MatMul(pool[1]) : null,
                9 => a.Shape.Rank == 2 ? a.T().Reshape(a.Shape.ToArray()) : null,
                10 => a.Shape.Rank > 0 ? Ops.Softmax(a, -1) : null,
                _ => a.Shape.Rank > 0 && a.Shape[0] > 1 ? Ops.Concat([Ops.Slice(a, 0, 0, 1), Ops.Slice(a, 0, 1, a.Shape[0])], 0) : null,
            };
            if (made is not null)
            {
                pool.Add(made);
            }
        }

        Value loss = pool.Skip(3).Select(v => v.Mean()).Aggregate((s, v) => s + v);
        return (g, [pool[0]], loss);
    }

    /// <summary><paramref name="b"/> when it broadcasts to <paramref name="a"/>'s shape, so that <c>a ∘ b</c> keeps a's shape.</summary>
    private static Value? Broadcastable(Value a, Value b) => Graph.Core.Operations.ShapeRules.BroadcastsTo(b.Shape, a.Shape) ? b : null;
}
