namespace Graph.Core.Operations;

/// <summary>
/// The elementwise half of batch normalization's training-mode gradient (as PyTorch's
/// <c>batch_norm_backward_elemt</c>): dx = a·grad + b·x + c per channel, with grad and x of shape [N, C, ...] and the
/// coefficients [3, C] holding a, b and c (built from <see cref="BatchNormBackwardReduce"/>'s sums in
/// <see cref="BatchNorm.Gradient"/>). One pass, instead of the dozen a composition of broadcast ops takes.
/// <para>
/// It is linear in each input, so with U the incoming gradient: <c>dgrad = a·U</c>, <c>dx = b·U</c> and the
/// coefficients' gradient is the rows Σ U·grad, Σ U·x and Σ U over every axis but 1.
/// </para>
/// </summary>
internal sealed class BatchNormBackwardElementwise : OpDef
{
    private BatchNormBackwardElementwise()
    {
    }

    /// <summary>The op.</summary>
    public static BatchNormBackwardElementwise Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "batch_norm_backward_elemt";

    /// <inheritdoc/>
    public override string GradFn => "BatchNormBackwardElemtBackward";

    /// <inheritdoc/>
    public override int Arity => 3;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType grad = inputs[0], x = inputs[1], coefficients = inputs[2];
        ShapeRules.RequireFloatingPoint(x, "the input");
        ShapeRules.RequireSameDType(x, grad);
        ShapeRules.RequireSameDType(x, coefficients);
        if (x.Shape.Rank < 2 || grad.Shape != x.Shape)
        {
            throw new OpRuleException($"the gradient {grad.Shape} and the input {x.Shape} must be one shape [batch, channels, ...]");
        }

        if (coefficients.Shape != new Shape(3, x.Shape[1]))
        {
            throw new OpRuleException($"the coefficients {coefficients.Shape} must be [3, {x.Shape[1]}]: a, b and c for each channel of the input {x.Shape}");
        }

        return x;
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value g = node.Input(0), x = node.Input(1), coefficients = node.Input(2);
        Shape shape = x.Shape;
        int[] axes = [0, .. Enumerable.Range(2, shape.Rank - 2)];
        Value Row(int i) => BatchNormRows.PerChannel(coefficients, i, shape);
        Value dCoefficients = BatchNormRows.Stack((grad * g).Sum(axes), (grad * x).Sum(axes), grad.Sum(axes));
        return [grad * Row(0), grad * Row(1), dCoefficients];
    }

    /// <summary>a·<paramref name="grad"/> + b·<paramref name="x"/> + c with the rows of <paramref name="coefficients"/>.</summary>
    internal static Value Apply(Value grad, Value x, Value coefficients) => x.Builder.Apply(Instance, OpAttributes.Empty, grad, x, coefficients);
}
