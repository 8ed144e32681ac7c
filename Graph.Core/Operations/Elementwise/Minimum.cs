namespace Graph.Core.Operations;

/// <summary>
/// Elementwise <c>min(a, b)</c> with broadcasting, like <c>torch.minimum</c> (NaN wins). The gradient is torch's: all of
/// it to the smaller operand, half to each on a tie — <c>(1 − sign(a − b)) / 2</c> to <c>a</c>, the rest to <c>b</c>.
/// </summary>
internal sealed class Minimum : BinaryElementwiseOp
{
    private Minimum()
    {
    }

    /// <summary>The op.</summary>
    public static Minimum Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "minimum";

    /// <inheritdoc/>
    public override string GradFn => "MinimumBackward";

    /// <inheritdoc/>
    protected override bool AcceptsInt64 => false;

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value toA = (((node.Input(0) - node.Input(1)).Sign() * -1.0) + 1.0) * 0.5;
        return [grad * toA, grad * (1.0 - toA)];
    }
}
