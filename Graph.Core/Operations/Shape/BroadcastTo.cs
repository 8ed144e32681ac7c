namespace Graph.Core.Operations;

/// <summary>Repeats the input along size-1 and missing leading axes to attribute <c>shape</c>, like <c>expand</c>; the gradient sums back.</summary>
internal sealed class BroadcastTo : OpDef
{
    private BroadcastTo()
    {
    }

    /// <summary>The op.</summary>
    public static BroadcastTo Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "broadcast_to";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["shape"];

    /// <inheritdoc/>
    public override string GradFn => "ExpandBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <summary>Each dynamic size of the target takes the input's size at that axis, aligned from the right.</summary>
    internal override OpAttributes Specialize(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) =>
        attributes.With("shape", ShapeRules.FillDynamic(attributes.GetInts("shape"), inputs[0].Shape));

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        var shape = new Shape(attributes.GetInts("shape"));
        if (!ShapeRules.BroadcastsTo(inputs[0].Shape, shape))
        {
            throw new OpRuleException($"{inputs[0].Shape} does not broadcast to {shape}: every size must match or be 1, aligned from the right");
        }

        return new TensorType(shape, inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad.SumTo(node.Input(0).Shape)];
}
