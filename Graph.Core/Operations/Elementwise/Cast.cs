namespace Graph.Core.Operations;

/// <summary>
/// Elementwise conversion to the dtype in attribute <c>dtype</c>, like <c>tensor.to(dtype)</c>. Between
/// floating-point dtypes the gradient is cast back; from or to int64 and bool no gradient flows.
/// </summary>
internal sealed class Cast : OpDef
{
    private Cast()
    {
    }

    /// <summary>The op.</summary>
    public static Cast Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "cast";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["dtype"];

    /// <inheritdoc/>
    public override string GradFn => "ToCopyBackward";

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <summary>The attributes of a conversion to <paramref name="dtype"/>.</summary>
    public static OpAttributes Attributes(DType dtype) => OpAttributes.Empty.With("dtype", dtype);

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes) =>
        new(inputs[0].Shape, attributes.GetDType("dtype"));

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad) =>
        [node.DType.IsFloatingPoint() && node.Input(0).DType.IsFloatingPoint() ? grad.Cast(node.Input(0).DType) : null];
}
