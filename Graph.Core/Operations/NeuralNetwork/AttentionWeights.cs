namespace Graph.Core.Operations;

/// <summary>
/// The attention weights of scaled dot-product attention in one fused pass: q [..., L, E] and k [..., S, E] give
/// <c>P = softmax(q·kᵀ/√E)</c> [..., L, S] over the last axis; with attribute <c>causal</c>, entry (i, j) is 0 for
/// j &gt; i (torch's <c>is_causal</c>, the lower triangle of the [L, S] matrix), a mask the kernel applies by each
/// row's length, never stored. The weights are the score matrix: the most memory a head takes.
/// <para>
/// The gradient is one fused row pass, softmax's rule with the scale (<see cref="AttentionWeightsBackward"/>:
/// <c>dS = P ⊙ (dP − Σ_j dP ⊙ P)/√E</c>), then two matrix products, <c>dq = dS·k</c> and <c>dk = dSᵀ·q</c> (masked
/// entries have P = 0, so they pass nothing back).
/// </para>
/// </summary>
internal sealed class AttentionWeights : OpDef
{
    private AttentionWeights()
    {
    }

    /// <summary>The op.</summary>
    public static AttentionWeights Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "attention_weights";

    /// <inheritdoc/>
    public override string GradFn => "AttentionWeightsBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["causal"];

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType q = inputs[0], k = inputs[1];
        ShapeRules.RequireFloatingPoint(q, "the query");
        ShapeRules.RequireSameDType(q, k);
        _ = attributes.GetBool("causal");
        Shape qs = q.Shape, ks = k.Shape;
        if (qs.Rank < 2 || ks.Rank != qs.Rank || !qs.Dims[..^2].SequenceEqual(ks.Dims[..^2]) || qs[^1] != ks[^1])
        {
            throw new OpRuleException($"the query {qs} and the key {ks} must be [..., L, E] and [..., S, E] with the same batch axes and the same E");
        }

        return new TensorType(new Shape([.. qs.Dims[..^1], ks[^2]]), q.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value q = node.Input(0), k = node.Input(1);
        double scale = 1 / Math.Sqrt(q.Shape[^1]);
        Value dScores = AttentionWeightsBackward.Apply(grad, node, scale);
        return [dScores.MatMul(k), dScores.SwapLastAxes().MatMul(q)];
    }

    /// <summary>The weights of <paramref name="q"/> against <paramref name="k"/>.</summary>
    internal static Value Apply(Value q, Value k, bool causal) => q.Builder.Apply(Instance, OpAttributes.Empty.With("causal", causal), q, k);
}
