namespace Graph.Core.Operations;

/// <summary>
/// The weight gradient of <see cref="Conv2d"/>: grad [N, O, oH, oW] correlated with the input [N, C, H, W] into
/// the weight's shape [O, C/groups, kH, kW] (attribute <c>kernel_size</c> holds kH and kW). It is bilinear, so
/// its own gradient is <c>dgrad = conv2d(x, u)</c> and <c>dx = conv2d_input_grad(grad, u)</c> for an incoming <c>u</c>.
/// </summary>
internal sealed class Conv2dWeightGrad : OpDef
{
    private Conv2dWeightGrad()
    {
    }

    /// <summary>The op.</summary>
    public static Conv2dWeightGrad Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "conv2d_weight_grad";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["dilation", "groups", "padding", "stride", "kernel_size"];

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
        Shape x = inputs[1].Shape;
        int[] size = attributes.GetInts("kernel_size");
        var settings = Conv2dSettings.From(attributes);
        settings.RequireValid();
        if (grad.Rank != 4 || x.Rank != 4 || size.Length != 2)
        {
            throw new OpRuleException($"the gradient {grad} and the input {x} must be 4-D and kernel_size [{string.Join(", ", size)}] must be [height, width]");
        }

        if (x[1] % settings.Groups != 0)
        {
            throw new OpRuleException($"the input {x} has {x[1]} channels, which groups = {settings.Groups} does not divide");
        }

        var weight = new Shape(grad[1], x[1] / settings.Groups, size[0], size[1]);
        Shape output = settings.OutputShape(x, weight, inputs[0].DType);
        if (output != grad)
        {
            throw new OpRuleException($"the gradient {grad} is not the shape {output} that convolving the input {x} by a weight {weight} gives");
        }

        return new TensorType(weight, inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value g = node.Input(0);
        Value x = node.Input(1);
        var settings = Conv2dSettings.From(node.Attributes);
        return
        [
            g.RequiresGrad ? Conv2d.Apply(x, grad, settings) : null,
            x.RequiresGrad ? Conv2dInputGrad.Apply(g, grad, settings, x.Shape) : null,
        ];
    }

    /// <summary>Builds the gradient of a weight of <paramref name="weight"/>'s shape.</summary>
    internal static Value Apply(Value grad, Value x, Conv2dSettings settings, Shape weight) =>
        grad.Builder.Apply(Instance, settings.ToAttributes().With("kernel_size", new[] { weight[2], weight[3] }), grad, x);
}
