namespace Graph.Core.Operations;

/// <summary>True when every element of a bool tensor is true (a scalar bool), like <c>tensor.all()</c>. Not differentiable.</summary>
internal sealed class All : NonDifferentiableOp
{
    private All()
    {
    }

    /// <summary>The op.</summary>
    public static All Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "all";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (inputs[0].DType != DType.Bool)
        {
            throw new OpRuleException($"all needs a bool operand, such as the result of Equal; this one is {inputs[0].DType.Name()}");
        }

        return new TensorType(Shape.Scalar, DType.Bool);
    }
}
