namespace Graph.Core.Operations;

/// <summary>
/// 2-D average pooling, like <c>F.avg_pool2d</c> with PyTorch's defaults (no ceil mode, padding counted in the
/// divisor, so every window divides by kernel²). Linear: <c>dx = avg_pool2d_grad(grad)</c>, its adjoint.
/// </summary>
internal sealed class AvgPool2d : OpDef
{
    private AvgPool2d()
    {
    }

    /// <summary>The op.</summary>
    public static AvgPool2d Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "avg_pool2d";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["kernel", "padding", "stride"];

    /// <inheritdoc/>
    public override string GradFn => "AvgPool2DBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0], "the input");
        return new TensorType(Pool2dSettings.From(attributes).OutputShape(inputs[0].Shape), inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) =>
        [AvgPool2dGrad.Apply(grad, Pool2dSettings.From(node.Attributes), node.Input(0).Shape)];

    /// <summary>Builds <c>avg_pool2d(x)</c>.</summary>
    internal static Value Apply(Value x, Pool2dSettings settings) => x.Builder.Apply(Instance, settings.ToAttributes(), x);
}
