namespace Graph.Core.Operations;

/// <summary>
/// The adjoint of <see cref="MaxPool2dGrad"/>: u [N, C, H, W] read at the first maximum of each window of
/// x [N, C, H, W], giving [N, C, oH, oW] (<c>max_pool2d(x)</c> is <c>max_pool2d_gather(x, x)</c>). It exists as
/// the second derivative of max pooling; linear in u, with no gradient for x.
/// </summary>
internal sealed class MaxPool2dGather : OpDef
{
    private MaxPool2dGather()
    {
    }

    /// <summary>The op.</summary>
    public static MaxPool2dGather Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "max_pool2d_gather";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["kernel", "padding", "stride"];

    /// <inheritdoc/>
    public override string GradFn => "MaxPool2DGatherBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireSameDType(inputs[0], inputs[1]);
        ShapeRules.RequireFloatingPoint(inputs[0], "the gathered value");
        if (inputs[0].Shape != inputs[1].Shape)
        {
            throw new OpRuleException($"the gathered value {inputs[0].Shape} and the pooled input {inputs[1].Shape} must have the same shape");
        }

        return new TensorType(Pool2dSettings.From(attributes).OutputShape(inputs[1].Shape), inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) =>
        [MaxPool2dGrad.Apply(grad, node.Input(1), Pool2dSettings.From(node.Attributes)), null];

    /// <summary>Builds <paramref name="u"/> gathered at the window maxima of <paramref name="x"/>.</summary>
    internal static Value Apply(Value u, Value x, Pool2dSettings settings) =>
        u.Builder.Apply(Instance, settings.ToAttributes(), u, x);
}
