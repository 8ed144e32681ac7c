namespace Graph.Core.Operations;

/// <summary>
/// Elementwise clamp to [<c>min</c>, <c>max</c>], like <c>torch.clamp</c> (a missing bound is stored as −∞ or +∞).
/// NaN stays NaN. The gradient is torch's: <c>grad</c> where <c>min ≤ x ≤ max</c> (the bounds included), 0 outside.
/// </summary>
internal sealed class Clamp : UnaryElementwiseOp
{
    private Clamp()
    {
    }

    /// <summary>The op.</summary>
    public static Clamp Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "clamp";

    /// <inheritdoc/>
    public override string GradFn => "ClampBackward";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["min", "max"];

    /// <summary>The attributes of <c>clamp(x, min, max)</c>; a null bound is no bound.</summary>
    public static OpAttributes Attributes(double? min, double? max) =>
        OpAttributes.Empty.With("min", min ?? double.NegativeInfinity).With("max", max ?? double.PositiveInfinity);

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        RequireBounds(attributes);
        return base.InferType(inputs, attributes);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad * node.Input(0).ClampMask(node.Attributes)];

    /// <summary>Checks the bounds <see cref="ClampMask"/> shares: numbers with <c>min ≤ max</c>.</summary>
    internal static void RequireBounds(OpAttributes attributes)
    {
        double min = attributes.GetDouble("min");
        double max = attributes.GetDouble("max");
        if (double.IsNaN(min) || double.IsNaN(max))
        {
            throw new OpRuleException($"min is {min} and max is {max}; a bound must be a number (pass null for no bound)");
        }

        if (min > max)
        {
            throw new OpRuleException($"min {min} is greater than max {max}; swap them (torch.clamp would return max everywhere)");
        }
    }
}
