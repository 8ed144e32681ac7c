namespace Graph.Core.Operations;

/// <summary>Elementwise sign: −1, 0 or 1 in the input's dtype, the factor of Abs's gradient. Its derivative is 0 wherever it exists.</summary>
internal sealed class Sign : NonDifferentiableOp
{
    private Sign()
    {
    }

    /// <summary>The op.</summary>
    public static Sign Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "sign";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override OpTraits Traits => OpTraits.ElementwiseInPlace;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (inputs[0].DType != DType.Int64)
        {
            ShapeRules.RequireFloatingPoint(inputs[0]);
        }

        return inputs[0];
    }
}
