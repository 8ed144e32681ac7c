namespace Graph.Core.Operations;

/// <summary>
/// A scalar in input 0's dtype made from its sizes: with n the product of its sizes along attribute <c>axes</c>,
/// <c>scale / n</c> when <c>invert</c>, else <c>scale · n</c>, computed in double. The element counts of means and
/// mean losses, for gradients of dynamic values, whose sizes a session fixes; a static value's gradient uses the
/// same number as a constant. Only input 0's shape is read.
/// </summary>
internal sealed class ShapeScalar : NonDifferentiableOp
{
    private ShapeScalar()
    {
    }

    /// <summary>The op.</summary>
    public static ShapeScalar Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "shape_scalar";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["axes", "scale", "invert"];

    /// <inheritdoc/>
    public override int Arity => 1;

    /// <summary>The attributes: the normalized <paramref name="axes"/>, <paramref name="scale"/>, <paramref name="invert"/>.</summary>
    public static OpAttributes Attributes(int[] axes, double scale, bool invert) =>
        OpAttributes.Empty.With("axes", axes).With("scale", scale).With("invert", invert);

    /// <summary>The scalar for concrete <paramref name="shape"/>: what the kernel writes and what a static gradient uses as a constant.</summary>
    public static double Evaluate(Shape shape, int[] axes, double scale, bool invert)
    {
        double n = 1;
        foreach (int axis in axes)
        {
            n *= shape[axis];
        }

        return invert ? scale / n : scale * n;
    }

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireFloatingPoint(inputs[0]);
        foreach (int axis in attributes.GetInts("axes"))
        {
            ShapeRules.RequireCanonicalAxis("axes", axis, inputs[0].Shape.Rank);
        }

        _ = attributes.GetDouble("scale");
        _ = attributes.GetBool("invert");
        return new TensorType(Shape.Scalar, inputs[0].DType);
    }
}
