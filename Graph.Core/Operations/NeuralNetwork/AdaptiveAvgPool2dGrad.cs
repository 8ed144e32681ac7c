namespace Graph.Core.Operations;

/// <summary>
/// The gradient of <see cref="AdaptiveAvgPool2d"/>: each element of grad [N, C, oH, oW] spread evenly over its
/// window, back to [N, C, H, W] (attribute <c>input_size</c> holds H and W). The adjoint of adaptive average
/// pooling, so its own gradient is <c>adaptive_avg_pool2d(u)</c>.
/// </summary>
internal sealed class AdaptiveAvgPool2dGrad : OpDef
{
    private AdaptiveAvgPool2dGrad()
    {
    }

    /// <summary>The op.</summary>
    public static AdaptiveAvgPool2dGrad Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "adaptive_avg_pool2d_grad";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["input_size"];

    /// <inheritdoc/>
    public override string GradFn => "AdaptiveAvgPool2DBackwardBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0], "the gradient");
        return new TensorType(PoolShapes.Input(inputs[0].Shape, attributes), inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Shape pooled = node.Input(0).Shape;
        return [AdaptiveAvgPool2d.Apply(grad, pooled[2], pooled[3])];
    }

    /// <summary>Builds the gradient of adaptive-pooling an input of <paramref name="input"/>'s shape.</summary>
    internal static Value Apply(Value grad, Shape input) =>
        grad.Builder.Apply(Instance, OpAttributes.Empty.With("input_size", new[] { input[2], input[3] }), grad);
}
