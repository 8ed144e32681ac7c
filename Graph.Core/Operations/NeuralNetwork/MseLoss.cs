namespace Graph.Core.Operations;

/// <summary>Mean squared error <c>mean((a − b)²)</c>, like <c>F.mse_loss</c>; <c>da = 2(a − b)·grad/n</c>, <c>db = −da</c>.</summary>
internal sealed class MseLoss : OpDef
{
    private MseLoss()
    {
    }

    /// <summary>The op.</summary>
    public static MseLoss Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "mse_loss";

    /// <inheritdoc/>
    public override string GradFn => "MseLossBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) =>
        LossShapeRule.MeanOfSameShape(inputs);

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value a = node.Input(0);
        Value da = (a - node.Input(1)) * CountScaling.TimesPerCount(grad, a, CountScaling.All(a.Shape), 2.0);
        return [da, -da];
    }
}
