namespace Graph.Core.Operations;

/// <summary>
/// The input gradient of <see cref="Conv2d"/>: the transposed convolution of grad [N, O, oH, oW] by the weight
/// [O, C/groups, kH, kW] back to the input's shape [N, C, H, W] (attribute <c>input_size</c> holds H and W,
/// which the output size alone does not determine when the stride skips rows). It is bilinear, so its own
/// gradient is <c>dgrad = conv2d(u, w)</c> and <c>dw = conv2d_weight_grad(grad, u)</c> for an incoming <c>u</c>.
/// </summary>
internal sealed class Conv2dInputGrad : OpDef
{
    private Conv2dInputGrad()
    {
    }

    /// <summary>The op.</summary>
    public static Conv2dInputGrad Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "conv2d_input_grad";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["dilation", "groups", "padding", "stride", "input_size"];

    /// <inheritdoc/>
    public override string GradFn => "ConvolutionBackwardBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireSameDType(inputs[0], inputs[1]);
        ShapeRules.RequireFloatingPoint(inputs[0], "the gradient");
        Shape grad = inputs[0].Shape;
        Shape weight = inputs[1].Shape;
        int[] size = attributes.GetInts("input_size");
        var settings = Conv2dSettings.From(attributes);
        if (grad.Rank != 4 || weight.Rank != 4 || size.Length != 2)
        {
            throw new OpRuleException($"the gradient {grad} and the weight {weight} must be 4-D and input_size [{string.Join(", ", size)}] must be [height, width]");
        }

        var input = new Shape(grad[0], weight[1] * settings.Groups, size[0], size[1]);
        Shape output = settings.OutputShape(input, weight, inputs[0].DType);
        if (output != grad)
        {
            throw new OpRuleException($"the gradient {grad} is not the shape {output} that convolving an input {input} by the weight {weight} gives");
        }

        return new TensorType(input, inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value g = node.Input(0);
        Value weight = node.Input(1);
        var settings = Conv2dSettings.From(node.Attributes);
        return
        [
            g.RequiresGrad ? Conv2d.Apply(grad, weight, settings) : null,
            weight.RequiresGrad ? Conv2dWeightGrad.Apply(g, grad, settings, weight.Shape) : null,
        ];
    }

    /// <summary>Builds the input gradient of a convolution of an input of <paramref name="input"/>'s shape.</summary>
    internal static Value Apply(Value grad, Value weight, Conv2dSettings settings, Shape input) =>
        grad.Builder.Apply(Instance, settings.ToAttributes().With("input_size", new[] { input[2], input[3] }), grad, weight);
}
