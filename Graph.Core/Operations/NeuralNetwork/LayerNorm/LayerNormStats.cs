namespace Graph.Core.Operations;

/// <summary>
/// The per-row statistics of layer normalization in one pass over each row: x [lead..., normalized...] gives
/// [lead..., 2] holding the mean and rstd = 1/√(var + eps) (the biased variance, as <c>F.layer_norm</c>) of the last
/// <c>normalized_dims</c> axes. <see cref="LayerNorm"/> and its gradient ops read them instead of recomputing them.
/// <para>
/// Smooth in x, so the gradient is ordinary IR: with U the incoming gradient, M the row's elements and each column
/// broadcast over its row, <c>dx = U_mean/M − U_rstd·rstd³·(x − mean)/M</c> (Σ(x − mean) = 0 drops the mean's term in the variance).
/// </para>
/// </summary>
internal sealed class LayerNormStats : OpDef
{
    private LayerNormStats()
    {
    }

    /// <summary>The op.</summary>
    public static LayerNormStats Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "layer_norm_stats";

    /// <inheritdoc/>
    public override string GradFn => "LayerNormStatsBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["eps", "normalized_dims"];

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType x = inputs[0];
        ShapeRules.RequireFloatingPoint(x, "the input");
        int k = LayerNormRows.NormalizedDims(attributes, x.Shape.Rank);
        double eps = attributes.GetDouble("eps");
        if (!(eps >= 0))
        {
            throw new OpRuleException($"eps is {eps}; it must be a non-negative number");
        }

        return new TensorType(LayerNormRows.StatsShape(x.Shape, k), x.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value x = node.Input(0);
        int k = node.Attributes.GetInt("normalized_dims");
        double m = LayerNormRows.Normalized(x.Shape, k).ElementCount;
        Value mean = LayerNormRows.PerRow(node, 0, x.Shape, k);
        Value rstd = LayerNormRows.PerRow(node, 1, x.Shape, k);
        Value dMean = LayerNormRows.PerRow(grad, 0, x.Shape, k);
        Value dRstd = LayerNormRows.PerRow(grad, 1, x.Shape, k);
        return [(dMean * (1 / m)) - (dRstd * rstd.Pow(3) * (x - mean) * (1 / m))];
    }

    /// <summary>The statistics of <paramref name="x"/> over its last <paramref name="k"/> axes.</summary>
    internal static Value Apply(Value x, int k, double eps) => x.Builder.Apply(Instance, LayerNormRows.Attributes(k).With("eps", eps), x);
}
