namespace Graph.Core.Operations;

/// <summary>
/// The per-channel sums batch normalization's training-mode gradient needs, in one pass over the activations (as
/// PyTorch's <c>batch_norm_backward_reduce</c>): for grad and x of shape [N, C, ...], the result [4, C] holds the
/// mean of x, its biased variance, Σ grad and Σ grad·(x − mean), each over every axis but 1.
/// <para>
/// The sums are smooth in both inputs, so the gradient is ordinary IR: with U the incoming [4, C] gradient, n the
/// elements per channel and each row broadcast over its channel, <c>dgrad = U₂ + U₃·(x − mean)</c> and
/// <c>dx = U₀/n + U₁·2(x − mean)/n + U₃·(grad − Σgrad/n)</c> (Σ(x − mean) = 0 drops the mean's own terms).
/// </para>
/// </summary>
internal sealed class BatchNormBackwardReduce : OpDef
{
    private BatchNormBackwardReduce()
    {
    }

    /// <summary>The op.</summary>
    public static BatchNormBackwardReduce Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "batch_norm_backward_reduce";

    /// <inheritdoc/>
    public override string GradFn => "BatchNormBackwardReduceBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType grad = inputs[0], x = inputs[1];
        ShapeRules.RequireFloatingPoint(x, "the input");
        ShapeRules.RequireSameDType(x, grad);
        if (x.Shape.Rank < 2 || grad.Shape != x.Shape)
        {
            throw new OpRuleException($"the gradient {grad.Shape} and the input {x.Shape} must be one shape [batch, channels, ...]");
        }

        return new TensorType(new Shape(4, x.Shape[1]), x.DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value g = node.Input(0), x = node.Input(1);
        int[] counted = CountScaling.AllButChannels(x.Shape);
        Value Row(Value rows, int i) => BatchNormRows.PerChannel(rows, i, x.Shape);
        Value centered = x - Row(node, 0);
        Value dGrad = Row(grad, 2) + (Row(grad, 3) * centered);
        Value dx = CountScaling.TimesPerCount(Row(grad, 0), x, counted, 1) + CountScaling.TimesPerCount(Row(grad, 1) * centered, x, counted, 2) + (Row(grad, 3) * (g - CountScaling.TimesPerCount(Row(node, 2), x, counted, 1)));
        return [dGrad, dx];
    }

    /// <summary>The [4, C] sums of <paramref name="grad"/> and <paramref name="x"/>.</summary>
    internal static Value Apply(Value grad, Value x) => x.Builder.Apply(Instance, OpAttributes.Empty, grad, x);
}
