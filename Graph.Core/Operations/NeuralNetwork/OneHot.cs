namespace Graph.Core.Operations;

/// <summary>
/// int64 class indices [...] to a [..., num_classes] tensor of attribute <c>dtype</c>, 1 at each index and
/// 0 elsewhere, like <c>F.one_hot</c>. An index outside [0, num_classes) fails at run time, naming the node.
/// </summary>
internal sealed class OneHot : NonDifferentiableOp
{
    private OneHot()
    {
    }

    /// <summary>The op.</summary>
    public static OneHot Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "one_hot";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["dtype", "num_classes"];

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        if (inputs[0].DType != DType.Int64)
        {
            throw new OpRuleException($"one_hot needs int64 class indices, not {inputs[0].DType.Name()}");
        }

        int classes = attributes.GetInt("num_classes");
        if (classes <= 0)
        {
            throw new OpRuleException($"num_classes is {classes}; it must be positive");
        }

        return new TensorType(new Shape([.. inputs[0].Shape.Dims, classes]), attributes.GetDType("dtype"));
    }
}
