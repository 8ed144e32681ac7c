namespace Graph.Core.Operations;

/// <summary>
/// Layer normalization's input gradient in one pass over each row: inputs grad, x, the statistics and optionally the
/// weight give <c>dx = rstd·(u − mean(u) − x̂·mean(u·x̂))</c> with <c>u = grad·weight</c> (or grad) and
/// <c>x̂ = (x − mean)·rstd</c>, the means over each row. This is the whole gradient of x through the mean and rstd.
/// <para>
/// Its own gradient treats the statistics as an input (their gradient flows on through layer_norm_stats), in ordinary
/// ops: with V the incoming gradient, A = mean(u) and B = mean(u·x̂),
/// <c>du = rstd·(V − mean(V) − x̂·mean(V·x̂))</c>, <c>dx̂ = −rstd·(B·V + u·mean(V·x̂))</c> and
/// <c>drstd = Σ V·(u − A − x̂·B)</c> per row, then the chain rule through x̂.
/// </para>
/// </summary>
internal sealed class LayerNormBackward : OpDef
{
    private LayerNormBackward()
    {
    }

    /// <summary>The op.</summary>
    public static LayerNormBackward Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "layer_norm_backward";

    /// <inheritdoc/>
    public override string GradFn => "LayerNormBackwardBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["normalized_dims"];

    /// <inheritdoc/>
    public override int Arity => 3;

    /// <inheritdoc/>
    public override bool IsVariadic => true;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (inputs.Length is not (3 or 4))
        {
            throw new OpRuleException($"layer_norm_backward takes grad, x, the statistics and optionally the weight (3 or 4 inputs), not {inputs.Length}");
        }

        TensorType grad = inputs[0], x = inputs[1];
        ShapeRules.RequireFloatingPoint(x, "the input");
        ShapeRules.RequireSameDType(x, grad);
        if (grad.Shape != x.Shape)
        {
            throw new OpRuleException($"the gradient {grad.Shape} and the input {x.Shape} must have one shape");
        }

        int k = LayerNormRows.NormalizedDims(attributes, x.Shape.Rank);
        LayerNormRows.RequireStats(x, inputs[2], k);
        if (inputs.Length == 4)
        {
            LayerNormRows.RequireAffine(x, inputs[3], k, "weight");
        }

        return x;
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value g = node.Input(0), x = node.Input(1), stats = node.Input(2);
        Value? weight = node.Inputs.Count == 4 ? node.Input(3) : null;
        int k = node.Attributes.GetInt("normalized_dims");
        double m = LayerNormRows.Normalized(x.Shape, k).ElementCount;
        Value RowMean(Value v) => LayerNormRows.RowSum(v, k) * (1 / m);

        Value rstd = LayerNormRows.PerRow(stats, 1, x.Shape, k);
        Value normalized = (x - LayerNormRows.PerRow(stats, 0, x.Shape, k)) * rstd;
        Value u = weight is null ? g : g * weight;
        Value a = RowMean(u);
        Value b = RowMean(u * normalized);
        Value vDotNormalized = RowMean(grad * normalized);
        Value du = rstd * (grad - RowMean(grad) - (normalized * vDotNormalized));
        Value dNormalized = -(rstd * ((b * grad) + (u * vDotNormalized)));
        Value dRstdDirect = LayerNormRows.RowSum(grad * (u - a - (normalized * b)), k);
        (Value dx, Value dStats) = LayerNormRows.ThroughNormalized(dNormalized, x, stats, k, dRstdDirect);
        return weight is null ? [du, dx, dStats] : [du * weight, dx, dStats, LayerNormRows.LeadSum(du * g, k)];
    }

    /// <summary>dx of layer norm for <paramref name="grad"/>, with <paramref name="weight"/> when the layer has one.</summary>
    internal static Value Apply(Value grad, Value x, Value stats, Value? weight, int k) =>
        weight is null
            ? x.Builder.Apply(Instance, LayerNormRows.Attributes(k), grad, x, stats)
            : x.Builder.Apply(Instance, LayerNormRows.Attributes(k), grad, x, stats, weight);
}
