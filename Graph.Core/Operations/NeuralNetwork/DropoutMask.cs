namespace Graph.Core.Operations;

/// <summary>
/// Dropout's mask, of the input's shape and dtype: each element is 0 with probability attribute <c>p</c> and
/// 1/(1 − p) otherwise, so <c>x · mask</c> is <c>F.dropout(x, p, training: true)</c>. The mask is an explicit
/// value so that the forward product and its gradient (<c>grad · mask</c>, through the product) read the
/// same draws. The input's data is not read.
/// <para>
/// The draws are a pure function of (attribute <c>seed</c>, the node's id, the session's forward-pass count,
/// the element's index): a new mask every forward pass, the same masks in every session of the same graph,
/// and different masks for two dropout nodes with the same seed. Not differentiable.
/// </para>
/// </summary>
internal sealed class DropoutMask : NonDifferentiableOp
{
    private DropoutMask()
    {
    }

    /// <summary>The op.</summary>
    public static DropoutMask Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "dropout_mask";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["p", "seed"];

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0], "the input");
        double p = attributes.GetDouble("p");
        if (!(p is >= 0 and <= 1))
        {
            throw new OpRuleException($"the dropout probability p = {p} must be in [0, 1]");
        }

        _ = attributes.GetInt("seed");
        return inputs[0];
    }
}
