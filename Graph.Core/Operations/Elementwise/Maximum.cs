namespace Graph.Core.Operations;

/// <summary>
/// Elementwise <c>max(a, b)</c> with broadcasting, like <c>torch.maximum</c> (NaN wins). The gradient is torch's: all of
/// it to the larger operand, half to each on a tie — <c>(1 + sign(a − b)) / 2</c> to <c>a</c>, the rest to <c>b</c>.
/// </summary>
internal sealed class Maximum : BinaryElementwiseOp
{
    private Maximum()
    {
    }

    /// <summary>The op.</summary>
    public static Maximum Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "maximum";

    /// <inheritdoc/>
    public override string GradFn => "MaximumBackward";

    /// <inheritdoc/>
    protected override bool AcceptsInt64 => false;

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value toA = ((node.Input(0) - node.Input(1)).Sign() + 1.0) * 0.5;
        return [grad * toA, grad * (1.0 - toA)];
    }
}
