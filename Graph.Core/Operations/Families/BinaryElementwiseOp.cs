namespace Graph.Core.Operations;

/// <summary>The family of elementwise ops of two operands with NumPy broadcasting; both operands share one dtype.</summary>
internal abstract class BinaryElementwiseOp : OpDef
{
    /// <inheritdoc/>
    public sealed override int Arity => 2;

    /// <inheritdoc/>
    public override OpTraits Traits => OpTraits.ElementwiseInPlace;

    /// <inheritdoc/>
    internal override bool BroadcastsOperands => true;

    /// <summary>True when int64 operands are allowed; otherwise floating point only.</summary>
    protected virtual bool AcceptsInt64 => true;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireSameDType(inputs[0], inputs[1]);
        if (!(AcceptsInt64 && inputs[0].DType == DType.Int64))
        {
            ShapeRules.RequireFloatingPoint(inputs[0]);
        }

        return new TensorType(ShapeRules.Broadcast(inputs[0].Shape, inputs[1].Shape), inputs[0].DType);
    }
}
