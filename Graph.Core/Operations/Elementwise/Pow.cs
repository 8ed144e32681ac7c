namespace Graph.Core.Operations;

/// <summary>
/// Elementwise power with a constant exponent, <c>y = x^p</c> (attribute <c>exponent</c>);
/// <c>dx = grad · p · x^(p−1)</c>, and 0 for <c>p = 0</c>, as PyTorch's pow_backward.
/// </summary>
internal sealed class Pow : UnaryElementwiseOp
{
    private Pow()
    {
    }

    /// <summary>The op.</summary>
    public static Pow Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "pow";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["exponent"];

    /// <inheritdoc/>
    public override string GradFn => "PowBackward";

    /// <summary>The attributes of <c>x^exponent</c>.</summary>
    public static OpAttributes Attributes(double exponent) => OpAttributes.Empty.With("exponent", exponent);

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        _ = attributes.GetDouble("exponent");
        return base.InferType(inputs, attributes);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        double p = node.Attributes.GetDouble("exponent");
        Value x = node.Input(0);
        if (p == 0)
        {
            return [grad * 0.0];
        }

        Value slope = p == 1 ? grad : p == 2 ? grad * x : grad * x.Pow(p - 1);
        return [slope * p];
    }
}
