namespace Graph.Core.Operations;

/// <summary>
/// Scatter-add into zeros along attribute <c>axis</c>: <c>y[..., indices[..., j, ...], ...] += source[..., j, ...]</c>
/// with y of attribute <c>shape</c>, like <c>torch.zeros(shape).scatter_add_(axis, indices, source)</c>: the indices have
/// the source's shape, and at most y's sizes on every other axis.
/// It is <see cref="Gather"/>'s gradient; linear in the source, so its gradient is gather of the incoming gradient.
/// </summary>
internal sealed class ScatterAdd : OpDef
{
    private ScatterAdd()
    {
    }

    /// <summary>The op.</summary>
    public static ScatterAdd Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "scatter_add";

    /// <inheritdoc/>
    public override string GradFn => "ScatterAddBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axis", "shape"];

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
            throw new OpRuleException("the source is a scalar; scatter_add needs an axis to add along");
        }

        int axis = ShapeRules.CanonicalAxis(attributes, "axis", source.Shape.Rank);
        if (indices.Shape != source.Shape)
        {
            throw new OpRuleException($"the indices {indices.Shape} must have the source's shape {source.Shape}, one index per element");
        }

        int[] dims = attributes.GetInts("shape");
        if (dims.Any(d => d < 0))
        {
            throw new OpRuleException($"shape [{string.Join(", ", dims)}] must have non-negative sizes");
        }

        var shape = new Shape(dims);
        IndexRules.RequireFitsExceptAxis(shape, indices.Shape, axis, "the output");
        return new TensorType(shape, source.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [Gather.Apply(grad, node.Input(1), node.Attributes.GetInt("axis")), null];

    /// <summary>The op on <paramref name="source"/> along the canonical <paramref name="axis"/> into zeros of <paramref name="shape"/>.</summary>
    internal static Value Apply(Value source, Value indices, int axis, Shape shape) =>
        source.Builder.Apply(Instance, OpAttributes.Empty.With("axis", axis).With("shape", shape.ToArray()), source, indices);
}
