namespace Graph.Core.Operations;

/// <summary>
/// Adaptive 2-D average pooling to attribute <c>output_size</c> [oH, oW], like <c>F.adaptive_avg_pool2d</c>:
/// output row i averages input rows ⌊i·H/oH⌋ to ⌈(i + 1)·H/oH⌉ (exclusive), and likewise for columns.
/// Linear: <c>dx = adaptive_avg_pool2d_grad(grad)</c>, its adjoint.
/// </summary>
internal sealed class AdaptiveAvgPool2d : OpDef
{
    private AdaptiveAvgPool2d()
    {
    }

    /// <summary>The op.</summary>
    public static AdaptiveAvgPool2d Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "adaptive_avg_pool2d";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["output_size"];

    /// <inheritdoc/>
    public override string GradFn => "AdaptiveAvgPool2DBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0], "the input");
        Shape x = inputs[0].Shape;
        int[] size = attributes.GetInts("output_size");
        if (size.Length != 2 || size[0] < 1 || size[1] < 1)
        {
            throw new OpRuleException($"output_size [{string.Join(", ", size)}] must be a positive [height, width]");
        }

        if (x.Rank != 4 || x[2] < 1 || x[3] < 1)
        {
            throw new OpRuleException($"the input {x} must be 4-D [batch, channels, height, width] with a height and width of at least 1");
        }

        return new TensorType(new Shape(x[0], x[1], size[0], size[1]), inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [AdaptiveAvgPool2dGrad.Apply(grad, node.Input(0).Shape)];

    /// <summary>Builds <c>adaptive_avg_pool2d(x)</c> to <paramref name="outH"/> × <paramref name="outW"/>.</summary>
    internal static Value Apply(Value x, int outH, int outW) =>
        x.Builder.Apply(Instance, OpAttributes.Empty.With("output_size", new[] { outH, outW }), x);
}
