namespace Graph.Core.Operations;

/// <summary>
/// Binary cross-entropy on logits, mean over all elements, like <c>F.binary_cross_entropy_with_logits</c>:
/// <c>mean(max(x, 0) − x·y + log(1 + e^−|x|))</c>, stable for any x. <c>dx = (σ(x) − y)·grad/n</c>, <c>dy = −x·grad/n</c>.
/// </summary>
internal sealed class BinaryCrossEntropyWithLogits : OpDef
{
    private BinaryCrossEntropyWithLogits()
    {
    }

    /// <summary>The op.</summary>
    public static BinaryCrossEntropyWithLogits Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "binary_cross_entropy_with_logits";

    /// <inheritdoc/>
    public override string GradFn => "BinaryCrossEntropyWithLogitsBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) =>
        LossShapeRule.MeanOfSameShape(inputs);

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value x = node.Input(0);
        Value y = node.Input(1);
        Value scale = CountScaling.OverCount(grad, x, CountScaling.All(x.Shape));
        return [(x.Sigmoid() - y) * scale, -x * scale];
    }
}
