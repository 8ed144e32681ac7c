using System.Globalization;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Cli.Benchmarking;

/// <summary>One input as <see cref="BenchInputs.Fill"/> filled it.</summary>
/// <param name="Input">The input.</param>
/// <param name="Values">What it holds, for the headline: <c>uniform [-1, 1)</c>, <c>in [0, 10)</c>.</param>
internal sealed record FilledInput(Value Input, string Values)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Input.Name} {Input.Type} {Values}";
}

/// <summary>
/// Inputs for timing any graph: the same values on every run (a fixed seed), of each input's type and shape.
/// Floating-point inputs are uniform in [-1, 1); an int64 input that indexes something (class targets of nll_loss and
/// cross_entropy, an embedding's token ids, one_hot, gather, index_select) stays below the smallest size it indexes,
/// so the kernels' range checks pass; other int64 inputs are in [0, <see cref="UnindexedLimit"/>).
/// </summary>
internal static class BenchInputs
{
    /// <summary>The bound of int64 inputs that index nothing.</summary>
    public const int UnindexedLimit = 10;

    /// <summary>The seed of the values.</summary>
    public const long Seed = 0;

    /// <summary>Sets every input of <paramref name="session"/>'s graph; returns what each holds, in the graph's order.</summary>
    public static IReadOnlyList<FilledInput> Fill(Session session)
    {
        ComputeGraph graph = session.Graph.Graph;
        ILookup<Value, (Value Node, int Position)> uses = graph.Values
            .SelectMany(node => node.Inputs.Select((input, position) => (input, use: (node, position))))
            .ToLookup(x => x.input, x => x.use);
        var random = new SeededRandom(Seed);
        var filled = new List<FilledInput>();
        foreach (Value input in graph.Values.Where(v => v.Kind == ValueKind.Input))
        {
            Tensor tensor = Tensor.Zeros(input.Shape, input.DType);
            string values = input.DType switch
            {
                DType.Float32 => FillUniform(tensor.AsSpan<float>(), random),
                DType.Float64 => FillUniform(tensor.AsSpan<double>(), random),
                DType.Int64 => FillIndices(tensor.AsSpan<long>(), IndexLimit(input, uses) ?? UnindexedLimit, random),
                DType.Bool => FillBool(tensor.AsSpan<bool>(), random),
                _ => throw new NotSupportedException($"graph bench: input '{input.Name}' is {input.DType.Name()}, a type it cannot fill."),
            };
            session.SetInput(input, tensor);
            filled.Add(new FilledInput(input, values));
        }

        return filled;
    }

    /// <summary>
    /// The smallest size <paramref name="value"/>'s entries index, following it through int64 results (reshapes,
    /// slices, casts), or null when it indexes nothing.
    /// </summary>
    private static int? IndexLimit(Value value, ILookup<Value, (Value Node, int Position)> uses)
    {
        int? limit = null;
        foreach ((Value node, int position) in uses[value])
        {
            int? here = (node.Op!.Name, position) switch
            {
                ("nll_loss", 1) => node.Inputs[0].Shape[1],
                ("one_hot", 0) => (int)node.Attributes.Values["num_classes"],
                ("index_select" or "gather", 1) => node.Inputs[0].Shape[(int)node.Attributes.Values["axis"]],
                ("index_add", 1) => (int)node.Attributes.Values["size"],
                _ when node.DType == DType.Int64 => IndexLimit(node, uses),
                _ => null,
            };
            limit = here is int h && (limit is null || h < limit) ? h : limit;
        }

        return limit;
    }

    private static string FillUniform(Span<float> values, SeededRandom random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((2 * random.NextDouble()) - 1);
        }

        return "uniform [-1, 1)";
    }

    private static string FillUniform(Span<double> values, SeededRandom random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return "uniform [-1, 1)";
    }

    private static string FillIndices(Span<long> values, int limit, SeededRandom random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextInt(limit);
        }

        return string.Create(CultureInfo.InvariantCulture, $"in [0, {limit})");
    }

    private static string FillBool(Span<bool> values, SeededRandom random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextInt(2) == 1;
        }

        return "true or false";
    }
}
