using System.Runtime.CompilerServices;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>The transformer-era layers and losses of the functional layer, with <c>torch.nn.functional</c>'s signatures.</summary>
public static partial class Ops
{
    /// <summary>
    /// Rows of <paramref name="weight"/> [num_embeddings, dim] picked by int64 <paramref name="indices"/> of any shape,
    /// giving [indices..., dim], like <c>F.embedding</c>. An index_select of the rows: the weight's gradient is
    /// scatter-added into the rows the indices name (never a one-hot product), and an index out of range fails at run time.
    /// </summary>
    public static Value Embedding(Value indices, Value weight, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(indices, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Shape.Rank != 2)
        {
            throw new GraphBuildException($"embedding: the weight '{weight.Name}' {weight.Type} must be 2-D [num_embeddings, embedding_dim].");
        }

        Value flat = indices.Shape.Rank == 1 ? indices : indices.Reshape(-1);
        Value rows = IndexSelect(weight, 0, flat);
        return indices.Shape.Rank == 1 ? rows : rows.Reshape([.. indices.Shape.Dims, weight.Shape[1]]);
    }

    /// <summary>
    /// Layer normalization over the last axes of <paramref name="x"/>, which must be <paramref name="normalizedShape"/>,
    /// like <c>F.layer_norm</c>: <c>(x − mean)/√(var + eps)·weight + bias</c> with the biased variance of each row.
    /// Two fused passes (per-row mean and rstd, then normalize and affine) and fused gradient passes; a missing
    /// weight counts as ones and a missing bias as zeros.
    /// </summary>
    public static Value LayerNorm(Value x, int[] normalizedShape, Value? weight, Value? bias, double eps = 1e-5, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length;
        if (k == 0 || k > x.Shape.Rank || !x.Shape.Dims[(x.Shape.Rank - k)..].SequenceEqual(normalizedShape))
        {
            throw new GraphBuildException($"layer_norm: the normalized shape [{string.Join(", ", normalizedShape)}] must be the last axes of the input '{x.Name}' {x.Type}.");
        }

        Value stats = LayerNormStats.Apply(x, k, eps);
        if (weight is null && bias is null)
        {
            return x.Builder.Apply(Operations.LayerNorm.Instance, LayerNormRows.Attributes(k), x, stats);
        }

        var shape = new Shape(normalizedShape);
        weight ??= x.Builder.Constant(Tensor.Ones(shape, x.DType));
        bias ??= x.Builder.Constant(Tensor.Zeros(shape, x.DType));
        return x.Builder.Apply(Operations.LayerNorm.Instance, LayerNormRows.Attributes(k), x, stats, weight, bias);
    }

    /// <summary>
    /// <c>softmax(q·kᵀ/√E)·v</c> over the last two axes, like torch 2's <c>F.scaled_dot_product_attention(q, k, v,
    /// is_causal=causal)</c>: q [..., L, E], k [..., S, E] and v [..., S, Ev] with the same batch axes give
    /// [..., L, Ev]. With <paramref name="causal"/> query i attends to keys 0 to i. The weights come from one fused
    /// kernel (scores, scale, mask by row length, softmax; the mask is never stored) and are the score matrix, the most
    /// memory a head takes; the product with v is a matrix product. The gradient is four matrix products around one fused
    /// row pass (softmax's rule with the scale, attention_weights_backward).
    /// </summary>
    public static Value ScaledDotProductAttention(Value q, Value k, Value v, bool causal = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(q, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        if (v.Shape.Rank != k.Shape.Rank || !v.Shape.Dims[..^1].SequenceEqual(k.Shape.Dims[..^1]))
        {
            throw new GraphBuildException($"scaled_dot_product_attention: the value '{v.Name}' {v.Type} must be [..., S, Ev] with the batch axes and S of the key '{k.Name}' {k.Type}.");
        }

        return AttentionWeights.Apply(q, k, causal).MatMul(v);
    }

    /// <summary>
    /// Cross-entropy of <paramref name="logits"/> [N, C] or [N, C, d...] against int64 class indices
    /// <paramref name="targets"/> [N] or [N, d...], mean over every target, like <c>F.cross_entropy</c>. With
    /// <paramref name="labelSmoothing"/> ε the target distribution is (1 − ε)·one_hot + ε/C, so the loss is
    /// <c>(1 − ε)·nll + ε·mean(−Σ_c log p_c / C)</c>, torch's formula.
    /// </summary>
    public static Value CrossEntropy(Value logits, Value targets, double labelSmoothing = 0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(logits, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Shape.Rank < 2)
        {
            throw new GraphBuildException($"cross_entropy: the logits '{logits.Name}' {logits.Type} must be [batch, classes] or [batch, classes, d...].");
        }

        if (!(labelSmoothing is >= 0 and <= 1))
        {
            throw new GraphBuildException($"cross_entropy: label smoothing {labelSmoothing} must be in [0, 1].");
        }

        (Value logp, Value flatTargets) = ClassesLast(LogSoftmax(logits, 1), targets, "cross_entropy");
        Value nll = logits.Builder.Apply(Operations.NllLoss.Instance, OpAttributes.Empty, logp, flatTargets);
        return labelSmoothing == 0 ? nll : (nll * (1 - labelSmoothing)) - (logp.Mean() * labelSmoothing);
    }

    /// <summary>
    /// Negative log-likelihood of log-probabilities [N, C] or [N, C, d...] at int64 class indices [N] or [N, d...], mean
    /// over every target, like <c>F.nll_loss</c>.
    /// </summary>
    public static Value NllLoss(Value logProbabilities, Value targets, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(logProbabilities, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(logProbabilities);
        ArgumentNullException.ThrowIfNull(targets);
        if (logProbabilities.Shape.Rank < 2)
        {
            throw new GraphBuildException($"nll_loss: the input '{logProbabilities.Name}' {logProbabilities.Type} must be [batch, classes] or [batch, classes, d...].");
        }

        (Value logp, Value flatTargets) = ClassesLast(logProbabilities, targets, "nll_loss");
        return logp.Builder.Apply(Operations.NllLoss.Instance, OpAttributes.Empty, logp, flatTargets);
    }

    /// <summary>Mean absolute error, like <c>F.l1_loss</c>.</summary>
    public static Value L1Loss(Value input, Value target, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(input, sourceFile, sourceLine);
        RequireSameShape(input, target, "l1_loss");
        return (input - target).Abs().Mean();
    }

    /// <summary>
    /// Smooth L1 loss, mean over the elements, like <c>F.smooth_l1_loss</c>: <c>0.5·d²/β</c> where |d| &lt; β and
    /// <c>|d| − 0.5·β</c> elsewhere (β = 0 is L1). Built as <c>m²/(2β) + |d| − m</c> with <c>m = min(|d|, β) = β − relu(β − |d|)</c>,
    /// which has torch's values and gradients, also at |d| = β.
    /// </summary>
    public static Value SmoothL1Loss(Value input, Value target, double beta = 1.0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(input, sourceFile, sourceLine);
        RequireSameShape(input, target, "smooth_l1_loss");
        if (!(beta >= 0))
        {
            throw new GraphBuildException($"smooth_l1_loss: beta {beta} must be non-negative.");
        }

        if (beta == 0)
        {
            return L1Loss(input, target);
        }

        Value distance = (input - target).Abs();
        Value clipped = beta - (beta - distance).Relu();
        return ((clipped * clipped * (0.5 / beta)) + distance - clipped).Mean();
    }

    /// <summary>[N, C, d...] log-probabilities as [N·d…, C] rows and the targets [N, d...] as [N·d…], for nll_loss.</summary>
    private static (Value LogP, Value Targets) ClassesLast(Value logp, Value targets, string function)
    {
        int rank = logp.Shape.Rank;
        int[] expected = [logp.Shape[0], .. logp.Shape.Dims[2..]];
        if (targets.Shape != new Shape(expected))
        {
            throw new GraphBuildException($"{function}: the targets '{targets.Name}' {targets.Type} must be [{string.Join(", ", expected)}], one class index per row of '{logp.Name}' {logp.Type}.");
        }

        if (rank == 2)
        {
            return (logp, targets);
        }

        int[] dims = [0, .. Enumerable.Range(2, rank - 2), 1];
        return (logp.Permute(dims).Reshape(-1, logp.Shape[1]), targets.Reshape(-1));
    }

    private static void RequireSameShape(Value input, Value target, string function)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (input.Shape != target.Shape)
        {
            throw new GraphBuildException($"{function}: the input '{input.Name}' {input.Type} and the target '{target.Name}' {target.Type} must have one shape.");
        }
    }
}
