namespace Graph.Core.Operations;

/// <summary>
/// The maximum of all elements, shape [], like <c>torch.max(x)</c> with no dim (attribute <c>axes</c> lists every axis,
/// so the reduction kernel is Max's). The gradient is torch 1.13's <c>evenly_distribute_backward</c>: split evenly among
/// every element equal to the maximum.
/// </summary>
internal sealed class MaxAll : OpDef
{
    private MaxAll()
    {
    }

    /// <summary>The op.</summary>
    public static MaxAll Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "max_all";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axes", "keep_dim"];

    /// <inheritdoc/>
    public override string GradFn => "MaxBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0]);
        int rank = inputs[0].Shape.Rank;
        if (!attributes.GetInts("axes").AsSpan().SequenceEqual(Enumerable.Range(0, rank).ToArray()) || attributes.GetBool("keep_dim"))
        {
            throw new OpRuleException($"max_all reduces every axis: axes must be [0, ..., {rank - 1}] and keep_dim false; use Max(axis) for one axis");
        }

        if (inputs[0].Shape.ElementCount == 0)
        {
            throw new OpRuleException("max() of an empty tensor has no value; the input must have at least one element");
        }

        return ReductionAttributes.Infer(inputs[0], attributes);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value x = node.Input(0);
        Value ties = x.Equal(node).Cast(x.DType);
        return [grad * ties / ties.Sum()];
    }
}
