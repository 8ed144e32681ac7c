namespace Graph.Core.Operations;

/// <summary>The family of ops that map each element on its own: the output has the input's type.</summary>
internal abstract class UnaryElementwiseOp : OpDef
{
    /// <inheritdoc/>
    public sealed override int Arity => 1;

    /// <inheritdoc/>
    public override OpTraits Traits => OpTraits.ElementwiseInPlace;

    /// <summary>True when int64 operands are allowed (negation, absolute value); otherwise floating point only.</summary>
    protected virtual bool AcceptsInt64 => false;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (!(AcceptsInt64 && inputs[0].DType == DType.Int64))
        {
            ShapeRules.RequireFloatingPoint(inputs[0]);
        }

        return inputs[0];
    }
}
