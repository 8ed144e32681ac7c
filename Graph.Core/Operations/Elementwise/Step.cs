namespace Graph.Core.Operations;

/// <summary>Elementwise Heaviside step <c>[x &gt; 0]</c> (1 or 0 in the input's dtype): the mask of ReLU's gradient. Its derivative is 0 wherever it exists.</summary>
internal sealed class Step : NonDifferentiableOp
{
    private Step()
    {
    }

    /// <summary>The op.</summary>
    public static Step Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "step";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override OpTraits Traits => OpTraits.ElementwiseInPlace;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0]);
        return inputs[0];
    }
}
