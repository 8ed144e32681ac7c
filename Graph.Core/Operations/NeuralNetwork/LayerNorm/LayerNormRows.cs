namespace Graph.Core.Operations;

/// <summary>
/// The shapes layer normalization's ops share: x is [lead..., normalized...] with the last <c>normalized_dims</c> axes
/// normalized; a row is one lead index (M = the normalized elements). The statistics are [lead..., 2], mean and
/// 1/√(var + eps) per row. The helpers build the gradient rules' broadcasts with ordinary, differentiable ops.
/// </summary>
internal static class LayerNormRows
{
    /// <summary>The positive, canonical <c>normalized_dims</c> attribute for an input of <paramref name="rank"/>.</summary>
    public static int NormalizedDims(OpAttributes attributes, int rank)
    {
        int k = attributes.GetInt("normalized_dims");
        if (k < 1 || k > rank)
        {
            throw new OpRuleException($"normalized_dims is {k}; it must be in [1, {rank}], the number of trailing axes of the input normalized together");
        }

        return k;
    }

    /// <summary>The statistics' shape for an input <paramref name="x"/> normalized over its last <paramref name="k"/> axes.</summary>
    public static Shape StatsShape(Shape x, int k) => new([.. x.Dims[..(x.Rank - k)], 2]);

    /// <summary>The normalized shape: the last <paramref name="k"/> axes of <paramref name="x"/>.</summary>
    public static Shape Normalized(Shape x, int k) => new(x.Dims[(x.Rank - k)..]);

    /// <summary>Requires <paramref name="stats"/> to be the float statistics of <paramref name="x"/> normalized over <paramref name="k"/> axes.</summary>
    public static void RequireStats(TensorType x, TensorType stats, int k)
    {
        ShapeRules.RequireSameDType(x, stats);
        if (stats.Shape != StatsShape(x.Shape, k))
        {
            throw new OpRuleException($"the statistics {stats.Shape} must be {StatsShape(x.Shape, k)}: mean and 1/√(var + eps) for each row of the input {x.Shape}");
        }
    }

    /// <summary>Requires <paramref name="affine"/> (a weight or bias) to have the normalized shape of <paramref name="x"/>.</summary>
    public static void RequireAffine(TensorType x, TensorType affine, int k, string what)
    {
        ShapeRules.RequireSameDType(x, affine);
        if (affine.Shape != Normalized(x.Shape, k))
        {
            throw new OpRuleException($"the {what} {affine.Shape} must have the normalized shape {Normalized(x.Shape, k)}");
        }
    }

    /// <summary>Column <paramref name="column"/> of the statistics (0 mean, 1 rstd), shaped [lead..., 1, …] to broadcast over x.</summary>
    public static Value PerRow(Value stats, int column, Shape x, int k) =>
        Ops.Slice(stats, stats.Shape.Rank - 1, column, column + 1).Reshape([.. x.Dims[..(x.Rank - k)], .. Enumerable.Repeat(1, k)]);

    /// <summary>Σ over each row of <paramref name="v"/>, shaped [lead..., 1, …] to broadcast back.</summary>
    public static Value RowSum(Value v, int k) => v.Sum(Enumerable.Range(v.Shape.Rank - k, k).ToArray(), keepDim: true);

    /// <summary>Σ over the lead axes of <paramref name="v"/>, giving the normalized shape.</summary>
    public static Value LeadSum(Value v, int k) => v.Sum(Enumerable.Range(0, v.Shape.Rank - k).ToArray());

    /// <summary>Per-row gradients of the mean and rstd (each [lead..., 1, …]) joined into the statistics' shape.</summary>
    public static Value ToStats(Value dMean, Value dRstd, Shape x, int k)
    {
        int[] lead = [.. x.Dims[..(x.Rank - k)], 1];
        return Ops.Concat([dMean.Reshape(lead), dRstd.Reshape(lead)], lead.Length - 1);
    }

    /// <summary>
    /// The gradients of x and of the statistics through x̂ = (x − mean)·rstd, given the gradient <paramref name="dNormalized"/>
    /// of x̂ (the chain rule every layer-norm gradient rule ends with).
    /// </summary>
    public static (Value Dx, Value DStats) ThroughNormalized(Value dNormalized, Value x, Value stats, int k, Value? dRstdExtra = null)
    {
        Value mean = PerRow(stats, 0, x.Shape, k);
        Value rstd = PerRow(stats, 1, x.Shape, k);
        Value dx = dNormalized * rstd;
        Value dMean = -RowSum(dx, k);
        Value dRstd = RowSum(dNormalized * (x - mean), k);
        return (dx, ToStats(dMean, dRstdExtra is null ? dRstd : dRstd + dRstdExtra, x.Shape, k));
    }

    /// <summary>The attributes the builder writes.</summary>
    public static OpAttributes Attributes(int k) => OpAttributes.Empty.With("normalized_dims", k);
}
