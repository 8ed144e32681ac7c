namespace Graph.Core.Operations;

/// <summary>
/// A mask of the input's type with 1 at the first maximal element along <c>axis</c> and 0 elsewhere:
/// where <see cref="Max"/>'s gradient goes. Not differentiable.
/// </summary>
internal sealed class ArgMaxMask : NonDifferentiableOp
{
    private ArgMaxMask()
    {
    }

    /// <summary>The op.</summary>
    public static ArgMaxMask Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "argmax_mask";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axis"];

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0]);
        _ = ShapeRules.CanonicalAxis(attributes, "axis", inputs[0].Shape.Rank);
        return inputs[0];
    }
}
