namespace Graph.Core.Operations;

/// <summary>
/// Repeats input 0 along size-1 and missing leading axes to the shape of input 1, like <c>expand_as</c>: how a
/// gradient spreads back over a value whose shape is dynamic, since a stored target shape could not say the size a
/// session fixes. Only input 1's shape is read; the gradient sums back.
/// </summary>
internal sealed class BroadcastLike : OpDef
{
    private BroadcastLike()
    {
    }

    /// <summary>The op.</summary>
    public static BroadcastLike Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "broadcast_like";

    /// <inheritdoc/>
    public override string GradFn => "ExpandBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (!ShapeRules.BroadcastsTo(inputs[0].Shape, inputs[1].Shape))
        {
            throw new OpRuleException($"{inputs[0].Shape} does not broadcast to {inputs[1].Shape}: every size must match or be 1, aligned from the right");
        }

        return new TensorType(inputs[1].Shape, inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad.SumTo(node.Input(0).Shape), null];
}
