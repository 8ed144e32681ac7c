namespace Graph.Core.Operations;

/// <summary>
/// Scatter-add into zeros along attribute <c>axis</c>: source [..., k, ...] and int64 indices [k] give
/// [..., size, ...] whose entry r along the axis is the sum of the source slices j with <c>indices[j] = r</c>, like
/// <c>torch.zeros(...).index_add_(axis, indices, source)</c>. It is <see cref="IndexSelect"/>'s gradient (and
/// Embedding's: rows accumulate, never through a one-hot product); linear in the source, so its gradient is
/// index_select of the incoming gradient.
/// </summary>
internal sealed class IndexAdd : OpDef
{
    private IndexAdd()
    {
    }

    /// <summary>The op.</summary>
    public static IndexAdd Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "index_add";

    /// <inheritdoc/>
    public override string GradFn => "IndexAddBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axis", "size"];

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType source = inputs[0], indices = inputs[1];
        ShapeRules.RequireFloatingPoint(source, "the source");
        IndexRules.RequireInt64(indices);
        if (source.Shape.Rank == 0)
        {
            throw new OpRuleException("the source is a scalar; index_add needs an axis to add along");
        }

        int axis = ShapeRules.CanonicalAxis(attributes, "axis", source.Shape.Rank);
        if (indices.Shape.Rank != 1 || indices.Shape[0] != source.Shape[axis])
        {
            throw new OpRuleException($"the indices {indices.Shape} must be 1-D with one index per slice of the source {source.Shape} along axis {axis}");
        }

        return new TensorType(IndexRules.WithAxis(source.Shape, axis, IndexRules.Size(attributes)), source.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [IndexSelect.Apply(grad, node.Input(1), node.Attributes.GetInt("axis")), null];

    /// <summary>The op on <paramref name="source"/> along the canonical <paramref name="axis"/> into <paramref name="size"/> rows.</summary>
    internal static Value Apply(Value source, Value indices, int axis, int size) =>
        source.Builder.Apply(Instance, OpAttributes.Empty.With("axis", axis).With("size", size), source, indices);
}
