namespace Graph.Core.Operations;

/// <summary>
/// The score gradient of <see cref="AttentionWeights"/> in one pass per row: the weights' gradient dP and the weights
/// P [..., L, S] give <c>dS = scale·P ⊙ (dP − Σ_j dP ⊙ P)</c> (softmax's rule, times the 1/√E of the scores), so the
/// query and key gradients are two matrix products with it. Masked entries have P = 0 and get 0.
/// <para>
/// Its gradient is ordinary IR: with U the incoming gradient and r = Σ_j dP ⊙ P, <c>d(dP) = scale·P ⊙ (U − Σ_j U ⊙ P)</c>
/// (this op applied to U) and <c>dP' = scale·(U ⊙ (dP − r) − dP ⊙ Σ_j U ⊙ P)</c>.
/// </para>
/// </summary>
internal sealed class AttentionWeightsBackward : OpDef
{
    private AttentionWeightsBackward()
    {
    }

    /// <summary>The op.</summary>
    public static AttentionWeightsBackward Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "attention_weights_backward";

    /// <inheritdoc/>
    public override string GradFn => "AttentionWeightsBackwardBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["scale"];

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType grad = inputs[0], weights = inputs[1];
        ShapeRules.RequireFloatingPoint(weights, "the weights");
        ShapeRules.RequireSameDType(grad, weights);
        if (weights.Shape.Rank < 2 || grad.Shape != weights.Shape)
        {
            throw new OpRuleException($"the gradient {grad.Shape} and the weights {weights.Shape} must have one shape [..., L, S]");
        }

        double scale = attributes.GetDouble("scale");
        if (!double.IsFinite(scale))
        {
            throw new OpRuleException($"scale is {scale}; it must be finite");
        }

        return weights;
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value dP = node.Input(0), p = node.Input(1);
        double scale = node.Attributes.GetDouble("scale");
        Value r = (dP * p).Sum([-1], keepDim: true);
        Value uDotP = (grad * p).Sum([-1], keepDim: true);
        return [Apply(grad, p, scale), ((grad * (dP - r)) - (dP * uDotP)) * scale];
    }

    /// <summary>The score gradient for the weights' gradient <paramref name="grad"/>.</summary>
    internal static Value Apply(Value grad, Value weights, double scale) => weights.Builder.Apply(Instance, OpAttributes.Empty.With("scale", scale), grad, weights);
}
