namespace Graph.Core.Operations;

/// <summary>The shape rule of elementwise losses with mean reduction: two operands of one shape and dtype give a scalar.</summary>
internal static class LossShapeRule
{
    public static TensorType MeanOfSameShape(ReadOnlySpan<TensorType> inputs)
    {
        ShapeRules.RequireSameDType(inputs[0], inputs[1]);
        ShapeRules.RequireFloatingPoint(inputs[0], "the input");
        if (inputs[0].Shape != inputs[1].Shape)
        {
            throw new OpRuleException($"the input {inputs[0].Shape} and the target {inputs[1].Shape} must have the same shape");
        }

        return new TensorType(Shape.Scalar, inputs[0].DType);
    }
}
