namespace Graph.Core.Operations;

/// <summary>
/// The index of the first maximum along <c>axis</c> (a NaN counts as the maximum), as int64, like
/// <c>torch.argmax(x, dim, keepdim)</c> (attributes <c>axes</c>, holding that one axis, and <c>keep_dim</c>). Not differentiable.
/// </summary>
internal sealed class ArgMax : NonDifferentiableOp
{
    private ArgMax()
    {
    }

    /// <summary>The op.</summary>
    public static ArgMax Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "argmax";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axes", "keep_dim"];

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0]);
        if (attributes.GetInts("axes").Length != 1)
        {
            throw new OpRuleException("argmax reduces exactly one axis");
        }

        TensorType type = ReductionAttributes.Infer(inputs[0], attributes);
        if (inputs[0].Shape[attributes.GetInts("axes")[0]] == 0)
        {
            throw new OpRuleException("argmax over an axis of size 0 has no index; the axis must have at least one element");
        }

        return new TensorType(type.Shape, DType.Int64);
    }
}
