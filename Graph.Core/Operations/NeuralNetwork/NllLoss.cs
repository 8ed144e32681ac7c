namespace Graph.Core.Operations;

/// <summary>
/// Negative log-likelihood, mean over the batch: log-probabilities [N, C] and int64 class indices [N] give
/// <c>−(1/N) Σ logp[i, target[i]]</c>, like <c>F.nll_loss</c>. <c>dlogp = −grad/N</c> at each target, 0 elsewhere.
/// </summary>
internal sealed class NllLoss : OpDef
{
    private NllLoss()
    {
    }

    /// <summary>The op.</summary>
    public static NllLoss Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "nll_loss";

    /// <inheritdoc/>
    public override string GradFn => "NllLossBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType logp = inputs[0];
        TensorType target = inputs[1];
        ShapeRules.RequireFloatingPoint(logp, "the input");
        if (logp.Shape.Rank != 2)
        {
            throw new OpRuleException($"the input must be [batch, classes], not {logp.Shape}");
        }

        if (target.DType != DType.Int64 || target.Shape.Rank != 1 || target.Shape[0] != logp.Shape[0])
        {
            throw new OpRuleException($"the targets must be int64 class indices of shape [{logp.Shape[0]}], one per row of the input, not {target}");
        }

        return new TensorType(Shape.Scalar, logp.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value logp = node.Input(0);
        Value oneHot = Ops.OneHot(node.Input(1), logp.Shape[1], logp.DType);
        return [oneHot * CountScaling.TimesPerCount(grad, logp, [0], -1.0), null];
    }
}
