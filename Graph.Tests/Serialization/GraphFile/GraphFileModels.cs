using Graph.Compiler;
using Graph.Core;
using Graph.Tests.Operations;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>A compiled graph to save and load, with a name for messages.</summary>
public sealed record NamedGraph(string Name, CompiledGraph Graph)
{
    public override string ToString() => Name;
}

/// <summary>The graphs the .graph tests save and load: the seed examples, an MLP, a long chain, and every gradient check.</summary>
internal static class GraphFileModels
{
    /// <summary>Q = 3a³ − b², PyTorch's autograd tutorial graph, with Q as a vector root.</summary>
    public static CompiledGraph Q()
    {
        var g = new GraphBuilder();
        Value a = g.Parameter("a", Tensor.FromArray([2f, 3f]));
        Value b = g.Parameter("b", Tensor.FromArray([6f, 4f]));
        Value q = ((3 * a.Pow(3)) - b.Pow(2)).Named("Q");
        return GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [q] });
    }

    /// <summary>An MLP 20-32-10 with ReLU and cross-entropy, inputs <c>x</c> [8, 20] and <c>y</c> [8] (int64), loss <c>loss</c>.</summary>
    public static CompiledGraph Mlp()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(8, 20));
        Value y = g.Input("y", new Shape(8), DType.Int64);
        Value w1 = g.Parameter("fc1.weight", Scaled(Tensor.Randn(new Shape(32, 20), seed: 11), 0.2));
        Value b1 = g.Parameter("fc1.bias", Tensor.Zeros(new Shape(32)));
        Value w2 = g.Parameter("fc2.weight", Scaled(Tensor.Randn(new Shape(10, 32), seed: 12), 0.2));
        Value b2 = g.Parameter("fc2.bias", Tensor.Zeros(new Shape(10)));
        Value logits = Ops.Linear(Ops.Linear(x, w1, b1).Relu(), w2, b2).Named("logits");
        Value loss = Ops.CrossEntropy(logits, y).Named("loss");
        return GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [logits], GradientRoots = [loss] });
    }

    /// <summary>The MLP's fixed batch.</summary>
    public static (Tensor X, Tensor Y) MlpBatch() =>
        (Tensor.Randn(new Shape(8, 20), seed: 21), Tensor.FromArray([0L, 3L, 9L, 1L, 4L, 4L, 7L, 2L]));

    /// <summary>Every graph the round-trip tests cover.</summary>
    public static IEnumerable<NamedGraph> All()
    {
        yield return new("Q = 3a³ − b²", Q());
        yield return new("MLP 20-32-10", Mlp());
        yield return new("elementwise chain of 100 ops", Chain());
        foreach (NamedGraph seed in Seeds())
        {
            yield return seed;
        }

        foreach (GradientCheckSpec spec in GradientCheckSpecs.All)
        {
            yield return new($"gradient check {spec}", GradientCheck(spec));
        }
    }

    private static IEnumerable<NamedGraph> Seeds()
    {
        {
            var g = new GraphBuilder();
            Value x = g.Input("x", new Shape(5));
            Value y = g.Input("y", new Shape(3));
            Value w = g.Parameter("w", Tensor.Randn(new Shape(5, 3), seed: 1));
            Value b = g.Parameter("b", Tensor.Randn(new Shape(3), seed: 2));
            Value z = (x.MatMul(w) + b).Named("z");
            Value loss = Ops.BinaryCrossEntropyWithLogits(z, y).Named("loss");
            yield return new("seed: linear with BCE", Compile(g, [loss], [z]));
        }

        {
            var g = new GraphBuilder();
            Value w = g.Parameter("w", Tensor.FromArray([1f, 2f]));
            Value z = (w * 3).Named("z");
            yield return new("seed: retain_grad", Compile(g, [z.Sum()], retainGrad: [z]));
        }

        {
            var g = new GraphBuilder();
            Value x = g.Input("x", new Shape(3), requiresGrad: true);
            Value y = x + 2;
            Value z = y * y * 3;
            yield return new("seed: mean of 3y²", Compile(g, [z.Mean()], [y, z]));
        }

        {
            var g = new GraphBuilder();
            Value x = g.Input("x", new Shape(3), requiresGrad: true);
            Value y = x * 2;
            for (int i = 0; i < 10; i++)
            {
                y *= 2;
            }

            yield return new("seed: doubling, vector root", Compile(g, [y]));
        }

        {
            var g = new GraphBuilder();
            Value x = g.Input("x", new Shape(2));
            Value frozen = g.Parameter("frozen", Tensor.FromArray([1f, 2f]), requiresGrad: false);
            Value trained = g.Parameter("trained", Tensor.FromArray([3f, 4f]));
            Value cut = g.Parameter("cut", Tensor.FromArray([5f, 6f]));
            yield return new("seed: frozen and detached", Compile(g, [((x * frozen * trained) + cut.Detach()).Sum()]));
        }

        {
            var g = new GraphBuilder();
            Value inp = g.Parameter("inp", Tensor.Eye(4, 5));
            yield return new("seed: Jacobian product", Compile(g, [(inp + 1).Pow(2).T().Named("out")]));
        }

        {
            var g = new GraphBuilder();
            Value real = g.Input("real", new Shape(3, 8));
            Value predicted = g.Input("predicted", new Shape(3, 8), requiresGrad: true);
            Value loss = (predicted - real).Pow(2).Sum();
            Value manual;
            using (g.NoGrad())
            {
                manual = (2.0 * (predicted - real)).Named("manual_gradient_predicted");
            }

            yield return new("seed: NoGrad output", Compile(g, [loss], [manual]));
        }

        {
            var g = new GraphBuilder();
            Value lhs = g.Input("manual", new Shape(3, 8));
            Value rhs = g.Input("auto", new Shape(3, 8));
            yield return new("seed: equal and all, no backward", Compile(g, [], [lhs.Equal(rhs).All()]));
        }

        {
            var g = new GraphBuilder();
            Value w = g.Parameter("w", Tensor.Rand(new Shape(4), seed: 5));
            Value first = (w * w).Sum().Named("first");
            Value second = (w.Exp() * 0.5).Mean().Named("second");
            yield return new("two gradient roots", Compile(g, [first, second]));
        }
    }

    private static CompiledGraph Chain()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(16));
        Value w = g.Parameter("w", Tensor.Rand(new Shape(16), seed: 7));
        Value h = x * w;
        for (int i = 1; i < 100; i++)
        {
            h = (i % 5) switch
            {
                0 => h.Tanh(),
                1 => h * 0.9,
                2 => h + w,
                3 => h.Sigmoid(),
                _ => h - 0.1,
            };
        }

        return Compile(g, [h.Sum()]);
    }

    // As GradientCheckTests builds it: L = Σ u ⊙ op(x) over float64 parameters.
    private static CompiledGraph GradientCheck(GradientCheckSpec spec)
    {
        var g = new GraphBuilder();
        Value[] inputs = spec.InputShapes
            .Select((shape, i) => g.Parameter($"x{i}", Offset(Tensor.Rand(shape, seed: 100 + i, DType.Float64), spec.Domain)))
            .ToArray();
        Value output = spec.Build(g, inputs);
        Value projection = g.Constant(Tensor.Randn(output.Shape, seed: 99, DType.Float64), "u");
        return Compile(g, [(output * projection).Sum()]);
    }

    private static CompiledGraph Compile(GraphBuilder g, Value[] roots, Value[]? outputs = null, Value[]? retainGrad = null) =>
        GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = roots, Outputs = outputs ?? [], RetainGrad = retainGrad ?? [] });

    private static Tensor Offset(Tensor t, InputDomain domain)
    {
        Span<double> values = t.AsSpan<double>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = domain == InputDomain.Positive ? 0.2 + (1.8 * values[i]) : (values[i] < 0.5 ? -2 : 0) + (2 * values[i]) + 0.05;
        }

        return t;
    }

    private static Tensor Scaled(Tensor t, double factor)
    {
        Span<float> values = t.AsSpan<float>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= (float)factor;
        }

        return t;
    }
}
