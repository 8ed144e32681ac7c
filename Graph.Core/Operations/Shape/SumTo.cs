namespace Graph.Core.Operations;

/// <summary>
/// Sums a value down to attribute <c>shape</c>, which must broadcast to the input's shape, like
/// <c>sum_to_size</c>: the reverse of broadcasting, and how a broadcast operand's gradient gets its shape.
/// </summary>
internal sealed class SumTo : OpDef
{
    private SumTo()
    {
    }

    /// <summary>The op.</summary>
    public static SumTo Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "sum_to";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["shape"];

    /// <inheritdoc/>
    public override string GradFn => "SumToSizeBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <summary>Each dynamic size of the target takes the input's size at that axis, aligned from the right.</summary>
    internal override OpAttributes Specialize(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) =>
        attributes.With("shape", ShapeRules.FillDynamic(attributes.GetInts("shape"), inputs[0].Shape));

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        var shape = new Shape(attributes.GetInts("shape"));
        if (!ShapeRules.BroadcastsTo(shape, inputs[0].Shape))
        {
            throw new OpRuleException($"cannot sum {inputs[0].Shape} down to {shape}: {shape} must broadcast to {inputs[0].Shape}");
        }

        if (inputs[0].DType == DType.Bool)
        {
            throw new OpRuleException("a bool tensor cannot be summed; cast it first");
        }

        return new TensorType(shape, inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad.ExpandAs(node.Input(0))];
}
