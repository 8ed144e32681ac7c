using System.Runtime.CompilerServices;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>The shape and indexing functions of the functional layer: stack, split, chunk, index_select, gather.</summary>
public static partial class Ops
{
    /// <summary>Joins <paramref name="values"/> of one shape along a new axis <paramref name="axis"/>, like <c>torch.stack</c>: unsqueeze then concat.</summary>
    public static Value Stack(IReadOnlyList<Value> values, int axis, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(values, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new GraphBuildException("stack needs at least one value to join.");
        }

        foreach (Value v in values)
        {
            if (v.Shape != values[0].Shape)
            {
                throw new GraphBuildException($"stack: every value must have one shape, but '{values[0].Name}' is {values[0].Type} and '{v.Name}' is {v.Type}.");
            }
        }

        return Concat(values.Select(v => v.Unsqueeze(axis)).ToArray(), axis);
    }

    /// <summary>
    /// Pieces of <paramref name="splitSize"/> along <paramref name="axis"/> (the last one smaller when the size does not
    /// divide), like <c>torch.split(x, split_size, dim)</c>: slices, each with the slice's gradient.
    /// </summary>
    public static Value[] Split(Value value, int splitSize, int axis = 0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(value, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(value);
        int at = SplitAxis(value, axis, "split");
        int n = value.Shape[at];
        if (splitSize <= 0)
        {
            throw new GraphBuildException($"split: the split size {splitSize} of '{value.Name}' {value.Type} must be positive.");
        }

        var pieces = new List<Value>();
        for (int start = 0; start < n; start += splitSize)
        {
            pieces.Add(Slice(value, at, start, Math.Min(n, start + splitSize)));
        }

        return [.. pieces];
    }

    /// <summary>Pieces of the given <paramref name="sizes"/> along <paramref name="axis"/>, which must add up to its size, like <c>torch.split(x, [sizes], dim)</c>.</summary>
    public static Value[] Split(Value value, int[] sizes, int axis = 0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(value, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(sizes);
        int at = SplitAxis(value, axis, "split");
        if (sizes.Any(s => s < 0) || sizes.Sum() != value.Shape[at])
        {
            throw new GraphBuildException($"split: the sizes [{string.Join(", ", sizes)}] must be non-negative and add up to {value.Shape[at]}, the size of axis {at} of '{value.Name}' {value.Type}.");
        }

        var pieces = new Value[sizes.Length];
        for (int i = 0, start = 0; i < sizes.Length; start += sizes[i], i++)
        {
            pieces[i] = Slice(value, at, start, start + sizes[i]);
        }

        return pieces;
    }

    /// <summary>
    /// <paramref name="chunks"/> pieces along <paramref name="axis"/>, like <c>torch.chunk</c>: each of ⌈n / chunks⌉ but the
    /// last, so there may be fewer than <paramref name="chunks"/> pieces (as in torch).
    /// </summary>
    public static Value[] Chunk(Value value, int chunks, int axis = 0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(value, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(value);
        int at = SplitAxis(value, axis, "chunk");
        if (chunks <= 0)
        {
            throw new GraphBuildException($"chunk: the number of chunks {chunks} of '{value.Name}' {value.Type} must be positive.");
        }

        int n = value.Shape[at];
        return n == 0 ? [value] : Split(value, (n + chunks - 1) / chunks, at);
    }

    /// <summary>
    /// The entries <paramref name="indices"/> (int64, 1-D) of <paramref name="x"/> along <paramref name="axis"/>, like
    /// <c>torch.index_select</c>; the gradient scatter-adds into the selected rows.
    /// </summary>
    public static Value IndexSelect(Value x, int axis, Value indices, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(indices);
        return x.Builder.Apply(Operations.IndexSelect.Instance, () => OpAttributes.Empty.With("axis", ShapeRules.NormalizeAxis(axis, x.Shape.Rank)), x, indices);
    }

    /// <summary>
    /// <c>y[..., j, ...] = x[..., indices[..., j, ...], ...]</c> along <paramref name="axis"/>, like <c>torch.gather</c>; the
    /// int64 indices have x's rank and at most its sizes on every other axis. The gradient scatter-adds.
    /// </summary>
    public static Value Gather(Value x, int axis, Value indices, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(indices);
        return x.Builder.Apply(Operations.Gather.Instance, () => OpAttributes.Empty.With("axis", ShapeRules.NormalizeAxis(axis, x.Shape.Rank)), x, indices);
    }

    private static int SplitAxis(Value value, int axis, string function)
    {
        int rank = value.Shape.Rank;
        if (rank == 0 || axis < -rank || axis >= rank)
        {
            throw new GraphBuildException($"{function}: axis {axis} is out of range for '{value.Name}' {value.Type}.");
        }

        return axis < 0 ? axis + rank : axis;
    }
}
