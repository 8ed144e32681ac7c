namespace Graph.Core.Operations;

/// <summary>The transpose of a 2-D value (or a 1-D or scalar one, unchanged), like <c>tensor.t()</c>; the gradient is transposed back.</summary>
internal sealed class Transpose : OpDef
{
    private Transpose()
    {
    }

    /// <summary>The op.</summary>
    public static Transpose Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "transpose";

    /// <inheritdoc/>
    public override string GradFn => "TBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        Shape s = inputs[0].Shape;
        if (s.Rank > 2)
        {
            throw new OpRuleException($"T() transposes values of rank 2 or less, and this one has rank {s.Rank}; use Permute to reorder more axes");
        }

        return s.Rank == 2 ? new TensorType(new Shape(s[1], s[0]), inputs[0].DType) : inputs[0];
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) => [grad.T()];
}
