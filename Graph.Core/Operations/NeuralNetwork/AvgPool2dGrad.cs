namespace Graph.Core.Operations;

/// <summary>
/// The gradient of <see cref="AvgPool2d"/>: each element of grad [N, C, oH, oW] spread as grad/kernel² over its
/// window, back to [N, C, H, W] (attribute <c>input_size</c> holds H and W). The adjoint of average pooling,
/// so its own gradient is <c>avg_pool2d(u)</c>.
/// </summary>
internal sealed class AvgPool2dGrad : OpDef
{
    private AvgPool2dGrad()
    {
    }

    /// <summary>The op.</summary>
    public static AvgPool2dGrad Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "avg_pool2d_grad";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["input_size", "kernel", "padding", "stride"];

    /// <inheritdoc/>
    public override string GradFn => "AvgPool2DBackwardBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0], "the gradient");
        Shape input = PoolShapes.Input(inputs[0].Shape, attributes);
        Pool2dSettings.From(attributes).RequireGradientOf(inputs[0].Shape, input);
        return new TensorType(input, inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) =>
        [AvgPool2d.Apply(grad, Pool2dSettings.From(node.Attributes))];

    /// <summary>Builds the gradient of average-pooling an input of <paramref name="input"/>'s shape.</summary>
    internal static Value Apply(Value grad, Pool2dSettings settings, Shape input) =>
        grad.Builder.Apply(Instance, settings.ToAttributes().With("input_size", new[] { input[2], input[3] }), grad);
}
