namespace Graph.Core.Operations;

/// <summary>
/// Elementwise GELU, like <c>torch.nn.functional.gelu</c>: <c>x · Φ(x)</c> with the exact normal CDF
/// <c>Φ(x) = (1 + erf(x/√2)) / 2</c>, or, with attribute <c>approximate</c>, torch's <c>approximate='tanh'</c> form
/// <c>x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))</c>. The gradient is PyTorch's GeluBackward formula of each form,
/// built from erf, exp and tanh, so it can be differentiated again.
/// </summary>
internal sealed class Gelu : UnaryElementwiseOp
{
    /// <summary>√(2/π), the scale inside the tanh form.</summary>
    internal const double SqrtTwoOverPi = 0.7978845608028654;

    /// <summary>The cubic coefficient of the tanh form.</summary>
    internal const double Kappa = 0.044715;

    private const double SqrtHalf = 0.7071067811865476;
    private const double OneOverSqrtTwoPi = 0.3989422804014327;

    private Gelu()
    {
    }

    /// <summary>The op.</summary>
    public static Gelu Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "gelu";

    /// <inheritdoc/>
    public override string GradFn => "GeluBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["approximate"];

    /// <summary>The attributes of the exact form (<paramref name="tanhApproximation"/> false) or the tanh form.</summary>
    public static OpAttributes Attributes(bool tanhApproximation) => OpAttributes.Empty.With("approximate", tanhApproximation);

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        _ = attributes.GetBool("approximate");
        return base.InferType(inputs, attributes);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value x = node.Input(0);
        if (!node.Attributes.GetBool("approximate"))
        {
            // Φ(x) + x·φ(x), φ the standard normal density.
            Value cdf = ((x * SqrtHalf).Erf() + 1.0) * 0.5;
            Value pdf = (x * x * -0.5).Exp() * OneOverSqrtTwoPi;
            return [grad * (cdf + (x * pdf))];
        }

        // torch's gelu_backward for approximate='tanh', term by term.
        Value xSquared = x * x;
        Value inner = (x + (xSquared * x * Kappa)) * SqrtTwoOverPi;
        Value t = inner.Tanh();
        Value left = (t + 1.0) * 0.5;
        Value right = x * 0.5 * (1.0 - (t * t)) * ((xSquared * (3.0 * Kappa)) + 1.0) * SqrtTwoOverPi;
        return [grad * (left + right)];
    }
}
