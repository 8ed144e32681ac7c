namespace Graph.Core.Operations;

/// <summary>
/// 2-D convolution (cross-correlation, as <c>F.conv2d</c>) of x [N, C, H, W] with a weight [O, C/groups, kH, kW]
/// under the attributes of <see cref="Conv2dSettings"/>; the bias is added by <c>Ops.Conv2d</c> as a broadcast.
/// The gradients are ops of their own, so backward stays ordinary IR: <c>dx = conv2d_input_grad(grad, w)</c>
/// (a transposed convolution) and <c>dw = conv2d_weight_grad(grad, x)</c>.
/// </summary>
internal sealed class Conv2d : OpDef
{
    private Conv2d()
    {
    }

    /// <summary>The op.</summary>
    public static Conv2d Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "conv2d";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["dilation", "groups", "padding", "stride"];

    /// <inheritdoc/>
    public override string GradFn => "ConvolutionBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireSameDType(inputs[0], inputs[1]);
        ShapeRules.RequireFloatingPoint(inputs[0], "the input");
        return new TensorType(Conv2dSettings.From(attributes).OutputShape(inputs[0].Shape, inputs[1].Shape, inputs[0].DType), inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value x = node.Input(0);
        Value weight = node.Input(1);
        var settings = Conv2dSettings.From(node.Attributes);
        return
        [
            x.RequiresGrad ? Conv2dInputGrad.Apply(grad, weight, settings, x.Shape) : null,
            weight.RequiresGrad ? Conv2dWeightGrad.Apply(grad, x, settings, weight.Shape) : null,
        ];
    }

    /// <summary>Builds <c>conv2d(x, weight)</c>.</summary>
    internal static Value Apply(Value x, Value weight, Conv2dSettings settings) =>
        x.Builder.Apply(Instance, settings.ToAttributes(), x, weight);
}
