namespace Graph.Core.Operations;

/// <summary>
/// Layer normalization's normalize-and-affine pass: inputs x [lead..., normalized...], its statistics from
/// <see cref="LayerNormStats"/> and optionally weight and bias of the normalized shape give
/// <c>(x − mean)·rstd·weight + bias</c>, as <c>F.layer_norm</c>.
/// <para>
/// The statistics input must be layer_norm_stats of input 0 (as <see cref="Ops.LayerNorm"/> builds it): the gradient
/// rule returns the whole dx through the mean and rstd (<see cref="LayerNormBackward"/>, one fused pass) and nothing
/// for the statistics, which would otherwise be a second path to x. The weight and bias gradients are one fused
/// pass too (<see cref="LayerNormBackwardAffine"/>). Both gradient ops have gradient rules of ordinary ops, so the
/// backward can be differentiated again.
/// </para>
/// </summary>
internal sealed class LayerNorm : OpDef
{
    private LayerNorm()
    {
    }

    /// <summary>The op.</summary>
    public static LayerNorm Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "layer_norm";

    /// <inheritdoc/>
    public override string GradFn => "NativeLayerNormBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["normalized_dims"];

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override bool IsVariadic => true;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (inputs.Length is not (2 or 4))
        {
            throw new OpRuleException($"layer_norm takes x and its statistics, and optionally weight and bias (2 or 4 inputs), not {inputs.Length}");
        }

        TensorType x = inputs[0];
        ShapeRules.RequireFloatingPoint(x, "the input");
        int k = LayerNormRows.NormalizedDims(attributes, x.Shape.Rank);
        LayerNormRows.RequireStats(x, inputs[1], k);
        if (inputs.Length == 4)
        {
            LayerNormRows.RequireAffine(x, inputs[2], k, "weight");
            LayerNormRows.RequireAffine(x, inputs[3], k, "bias");
        }

        return x;
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value x = node.Input(0), stats = node.Input(1);
        if (stats.Op is not LayerNormStats || stats.Input(0).Id != x.Id)
        {
            throw new InvalidOperationException($"layer_norm '{node.Name}': its statistics '{stats.Name}' are not layer_norm_stats of its input '{x.Name}', so its gradient rule does not apply; build layer norm with Ops.LayerNorm.");
        }

        int k = node.Attributes.GetInt("normalized_dims");
        bool affine = node.Inputs.Count == 4;
        Value dx = LayerNormBackward.Apply(grad, x, stats, affine ? node.Input(2) : null, k);
        if (!affine)
        {
            return [dx, null];
        }

        Value sums = LayerNormBackwardAffine.Apply(grad, x, stats, k);
        Shape normalized = LayerNormRows.Normalized(x.Shape, k);
        Value Row(int i) => Ops.Slice(sums, 0, i, i + 1).Reshape(normalized.ToArray());
        return [dx, null, node.Input(2).RequiresGrad ? Row(0) : null, node.Input(3).RequiresGrad ? Row(1) : null];
    }
}
