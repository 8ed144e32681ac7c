namespace Graph.Core.Operations;

/// <summary>
/// Maximum along one axis (attribute <c>axes</c> holds that one axis), like <c>torch.max(x, dim).values</c>.
/// The gradient goes to the first maximal element of each slice, as PyTorch's does through the indices.
/// </summary>
internal sealed class Max : OpDef
{
    private Max()
    {
    }

    /// <summary>The op.</summary>
    public static Max Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "max";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axes", "keep_dim"];

    /// <inheritdoc/>
    public override string GradFn => "MaxBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (inputs[0].DType == DType.Bool)
        {
            throw new OpRuleException("max of a bool tensor is not defined here; use All() or cast first");
        }

        if (attributes.GetInts("axes").Length != 1)
        {
            throw new OpRuleException("max reduces exactly one axis");
        }

        // The shared rule first: it holds the axis to [0, rank) before it indexes the shape.
        TensorType type = ReductionAttributes.Infer(inputs[0], attributes);
        if (inputs[0].Shape[attributes.GetInts("axes")[0]] == 0)
        {
            throw new OpRuleException("max over an axis of size 0 has no value; the axis must have at least one element");
        }

        return type;
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value x = node.Input(0);
        int axis = node.Attributes.GetInts("axes")[0];
        return [ReductionAttributes.Expand(node, grad) * x.ArgMaxMask(axis)];
    }
}
