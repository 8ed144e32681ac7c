namespace Graph.Core.Operations;

/// <summary>
/// Elementwise <c>[min ≤ x ≤ max]</c> (1 or 0 in the input's dtype) for <see cref="Clamp"/>'s attributes: where its
/// gradient passes. Its derivative is 0 wherever it exists.
/// </summary>
internal sealed class ClampMask : NonDifferentiableOp
{
    private ClampMask()
    {
    }

    /// <summary>The op.</summary>
    public static ClampMask Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "clamp_mask";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["min", "max"];

    /// <inheritdoc/>
    public override OpTraits Traits => OpTraits.ElementwiseInPlace;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        Clamp.RequireBounds(attributes);
        ShapeRules.RequireFloatingPoint(inputs[0]);
        return inputs[0];
    }
}
