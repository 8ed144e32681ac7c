namespace Graph.Core.Operations;

/// <summary>
/// Elementwise <c>base^exponent</c> of two values with broadcasting, like <c>torch.pow(Tensor, Tensor)</c>. The gradient
/// is torch 1.13's (derivatives.yaml <c>pow.Tensor_Tensor</c>): to the base <c>grad · e · b^(e−1)</c>, 0 where
/// <c>e = 0</c>; to the exponent <c>grad · b^e · ln b</c>, 0 where <c>b = 0</c> and <c>e ≥ 0</c>.
/// </summary>
internal sealed class PowTensor : BinaryElementwiseOp
{
    private PowTensor()
    {
    }

    /// <summary>The op.</summary>
    public static PowTensor Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "pow_tensor";

    /// <inheritdoc/>
    public override string GradFn => "PowBackward";

    /// <inheritdoc/>
    protected override bool AcceptsInt64 => false;

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value b = node.Input(0);
        Value e = node.Input(1);
        Value zero = b.ScalarOf(0.0);
        Value toBase = Ops.Where(e.Equal(zero), zero, grad * e * b.Pow(e - 1.0));

        // b = 0 and e ≥ 0, as a bool: [b = 0] · (1 − [−e > 0]).
        Value nonNegative = 1.0 - (-e).Step();
        Value masked = (b.Equal(zero).Cast(b.DType) * nonNegative).Cast(DType.Bool);
        Value toExponent = Ops.Where(masked, zero, grad * node * b.Log());
        return [toBase, toExponent];
    }
}
