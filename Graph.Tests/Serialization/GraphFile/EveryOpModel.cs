using Graph.Compiler;
using Graph.Core;
using Graph.Core.Operations;
using Graph.Tests.Operations;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// Small graphs whose tapes, together, hold every op of <see cref="OpRegistry"/>: the first gradient check of each
/// op, summed into one loss per graph, and the ops that have no gradient check (comparisons, masks, one-hot,
/// dropout) as outputs. A check that names a value another check already named starts the next graph. The
/// hostile-input tests mutate these files so that every op's attributes and kernels meet bad values.
/// </summary>
internal static class EveryOpModel
{
    /// <summary>The compiled graphs, forward and backward.</summary>
    public static CompiledGraph[] Compile()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var graphs = new List<CompiledGraph>();
        var g = new GraphBuilder();
        Value? loss = null;
        foreach (GradientCheckSpec spec in GradientCheckSpecs.All.Where(s => covered.Add(s.Op)))
        {
            Value term;
            try
            {
                term = Term(g, spec, covered.Count);
            }
            catch (ArgumentException)
            {
                graphs.Add(Finish(g, loss!));
                g = new GraphBuilder();
                loss = null;
                term = Term(g, spec, covered.Count);
            }

            loss = loss is null ? term : loss + term;
        }

        graphs.Add(Finish(g, loss!));
        return [.. graphs];
    }

    /// <summary>The names of the ops on <paramref name="graphs"/>' tapes.</summary>
    public static IEnumerable<string> OpNames(IEnumerable<CompiledGraph> graphs) =>
        graphs.SelectMany(graph => graph.Forward.Steps.Concat(graph.Backward.SelectMany(b => b.Tape.Steps))).Select(v => v.Op!.Name).Distinct();

    // As GradientCheckTests builds it: Σ u ⊙ op(x) over float64 parameters.
    private static Value Term(GraphBuilder g, GradientCheckSpec spec, int seed)
    {
        Value[] inputs = spec.InputShapes
            .Select((shape, i) => g.Parameter($"{spec.Op}.x{i}", Tensor.Rand(shape, seed: (seed * 10) + i, DType.Float64)))
            .ToArray();
        Value output = spec.Build(g, inputs);
        return (output * g.Constant(Tensor.Randn(output.Shape, seed: seed, DType.Float64))).Sum();
    }

    // Adds the ops without a gradient check, then compiles with the loss as the root.
    private static CompiledGraph Finish(GraphBuilder g, Value loss)
    {
        Value x = g.Input("x", new Shape(3, 4), DType.Float64, requiresGrad: true);
        Value labels = g.Input("labels", new Shape(3), DType.Int64);
        Value dropped = Ops.Dropout(x, 0.5, training: true, seed: 3);
        Value root = (loss + dropped.Sum() + x.Detach().Sum()).Named("loss");
        Value[] outputs =
        [
            x.Equal(x.Relu()).All().Named("all_nonnegative"),
            Ops.OneHot(labels, 4).Named("one_hot"),
            x.Cast(DType.Float32).Named("as_float32"),
            x.ArgMax(1).Named("argmax"),
            g.Apply(ShapeScalar.Instance, ShapeScalar.Attributes([0, 1], 2.0, invert: true), x).Named("two_per_element"),
        ];
        return GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [root], Outputs = outputs });
    }
}
