namespace Graph.Core.Operations;

/// <summary>
/// Layer normalization's weight and bias gradients in one pass: inputs grad, x and the statistics give
/// [2, normalized...] holding <c>Σ grad·x̂</c> and <c>Σ grad</c> over the lead axes, with <c>x̂ = (x − mean)·rstd</c>.
/// <para>
/// Its gradient is ordinary IR: with U₀, U₁ the incoming rows broadcast over the lead axes, <c>dgrad = U₀·x̂ + U₁</c>
/// and <c>dx̂ = U₀·grad</c>, then the chain rule through x̂ to x and the statistics.
/// </para>
/// </summary>
internal sealed class LayerNormBackwardAffine : OpDef
{
    private LayerNormBackwardAffine()
    {
    }

    /// <summary>The op.</summary>
    public static LayerNormBackwardAffine Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "layer_norm_backward_affine";

    /// <inheritdoc/>
    public override string GradFn => "LayerNormBackwardAffineBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["normalized_dims"];

    /// <inheritdoc/>
    public override int Arity => 3;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType grad = inputs[0], x = inputs[1];
        ShapeRules.RequireFloatingPoint(x, "the input");
        ShapeRules.RequireSameDType(x, grad);
        if (grad.Shape != x.Shape)
        {
            throw new OpRuleException($"the gradient {grad.Shape} and the input {x.Shape} must have one shape");
        }

        int k = LayerNormRows.NormalizedDims(attributes, x.Shape.Rank);
        LayerNormRows.RequireStats(x, inputs[2], k);
        return new TensorType(new Shape([2, .. LayerNormRows.Normalized(x.Shape, k).Dims]), x.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value g = node.Input(0), x = node.Input(1), stats = node.Input(2);
        int k = node.Attributes.GetInt("normalized_dims");
        int[] normalized = LayerNormRows.Normalized(x.Shape, k).ToArray();
        Value dWeight = Ops.Slice(grad, 0, 0, 1).Reshape(normalized);
        Value dBias = Ops.Slice(grad, 0, 1, 2).Reshape(normalized);
        Value xHat = (x - LayerNormRows.PerRow(stats, 0, x.Shape, k)) * LayerNormRows.PerRow(stats, 1, x.Shape, k);
        (Value dx, Value dStats) = LayerNormRows.ThroughNormalized(dWeight * g, x, stats, k);
        return [(dWeight * xHat) + dBias, dx, dStats];
    }

    /// <summary>The [2, normalized...] sums for <paramref name="grad"/>.</summary>
    internal static Value Apply(Value grad, Value x, Value stats, int k) => x.Builder.Apply(Instance, LayerNormRows.Attributes(k), grad, x, stats);
}
