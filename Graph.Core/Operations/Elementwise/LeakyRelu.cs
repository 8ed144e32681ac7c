namespace Graph.Core.Operations;

/// <summary>
/// Elementwise leaky ReLU, like <c>torch.nn.functional.leaky_relu(x, negative_slope)</c>: <c>x</c> where
/// <c>x &gt; 0</c>, <c>negative_slope · x</c> elsewhere (attribute <c>negative_slope</c>); the gradient is torch's,
/// <c>grad</c> where <c>x &gt; 0</c> and <c>negative_slope · grad</c> elsewhere (also at 0).
/// </summary>
internal sealed class LeakyRelu : UnaryElementwiseOp
{
    private LeakyRelu()
    {
    }

    /// <summary>The op.</summary>
    public static LeakyRelu Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "leaky_relu";

    /// <inheritdoc/>
    public override string GradFn => "LeakyReluBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["negative_slope"];

    /// <summary>The attributes of <c>leaky_relu(x, negativeSlope)</c>.</summary>
    public static OpAttributes Attributes(double negativeSlope) => OpAttributes.Empty.With("negative_slope", negativeSlope);

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        double slope = attributes.GetDouble("negative_slope");
        if (!double.IsFinite(slope))
        {
            throw new OpRuleException($"negative_slope is {slope}; it must be a finite number (torch's default is 0.01)");
        }

        return base.InferType(inputs, attributes);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        double slope = node.Attributes.GetDouble("negative_slope");
        return [grad * ((node.Input(0).Step() * (1.0 - slope)) + slope)];
    }
}
