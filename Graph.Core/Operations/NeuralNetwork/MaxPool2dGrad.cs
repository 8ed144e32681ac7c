namespace Graph.Core.Operations;

/// <summary>
/// The gradient of <see cref="MaxPool2d"/>: each element of grad [N, C, oH, oW] added at the first maximum of its
/// window of x [N, C, H, W], zeros elsewhere. Linear in grad, with <see cref="MaxPool2dGather"/> as its adjoint;
/// piecewise constant in x (the argmax does not move under a small change), so x gets no gradient.
/// </summary>
internal sealed class MaxPool2dGrad : OpDef
{
    private MaxPool2dGrad()
    {
    }

    /// <summary>The op.</summary>
    public static MaxPool2dGrad Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "max_pool2d_grad";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["kernel", "padding", "stride"];

    /// <inheritdoc/>
    public override string GradFn => "MaxPool2DWithIndicesBackwardBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireSameDType(inputs[0], inputs[1]);
        ShapeRules.RequireFloatingPoint(inputs[0], "the gradient");
        Pool2dSettings.From(attributes).RequireGradientOf(inputs[0].Shape, inputs[1].Shape);
        return inputs[1];
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) =>
        [MaxPool2dGather.Apply(grad, node.Input(1), Pool2dSettings.From(node.Attributes)), null];

    /// <summary>Builds the gradient of max-pooling <paramref name="x"/>.</summary>
    internal static Value Apply(Value grad, Value x, Pool2dSettings settings) =>
        grad.Builder.Apply(Instance, settings.ToAttributes(), grad, x);
}
