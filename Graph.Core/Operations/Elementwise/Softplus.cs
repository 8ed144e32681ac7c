namespace Graph.Core.Operations;

/// <summary>
/// Elementwise softplus, like <c>torch.nn.functional.softplus(x, beta, threshold)</c>: <c>log(1 + e^(βx)) / β</c>, and
/// <c>x</c> itself where <c>βx &gt; threshold</c> (attributes <c>beta</c>, <c>threshold</c>). The gradient is torch's:
/// <c>grad · sigmoid(βx)</c>, and <c>grad</c> where <c>βx &gt; threshold</c>.
/// </summary>
internal sealed class Softplus : UnaryElementwiseOp
{
    private Softplus()
    {
    }

    /// <summary>The op.</summary>
    public static Softplus Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "softplus";

    /// <inheritdoc/>
    public override string GradFn => "SoftplusBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["beta", "threshold"];

    /// <summary>The attributes of <c>softplus(x, beta, threshold)</c>.</summary>
    public static OpAttributes Attributes(double beta, double threshold) => OpAttributes.Empty.With("beta", beta).With("threshold", threshold);

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        double beta = attributes.GetDouble("beta");
        double threshold = attributes.GetDouble("threshold");
        if (!double.IsFinite(beta) || beta == 0)
        {
            throw new OpRuleException($"beta is {beta}; softplus divides by beta, so it must be finite and non-zero (torch's default is 1)");
        }

        if (double.IsNaN(threshold))
        {
            throw new OpRuleException("threshold is NaN; give a number (torch's default is 20)");
        }

        return base.InferType(inputs, attributes);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        double beta = node.Attributes.GetDouble("beta");
        double threshold = node.Attributes.GetDouble("threshold");
        Value scaled = node.Input(0) * beta;
        Value linear = (scaled - threshold).Step();
        return [grad * (linear + ((1.0 - linear) * scaled.Sigmoid()))];
    }
}
