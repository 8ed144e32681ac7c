namespace Graph.Core.Operations;

/// <summary>
/// 2-D max pooling, like <c>F.max_pool2d</c> without ceil mode: each window's maximum, padding counting as −∞
/// (a NaN counts as the maximum). The gradient goes to the first maximum of each window, in row-major order,
/// as PyTorch's goes through its indices: <c>dx = max_pool2d_grad(grad, x)</c>.
/// </summary>
internal sealed class MaxPool2d : OpDef
{
    private MaxPool2d()
    {
    }

    /// <summary>The op.</summary>
    public static MaxPool2d Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "max_pool2d";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["kernel", "padding", "stride"];

    /// <inheritdoc/>
    public override string GradFn => "MaxPool2DWithIndicesBackward";

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
        [MaxPool2dGrad.Apply(grad, node.Input(0), Pool2dSettings.From(node.Attributes))];
}
