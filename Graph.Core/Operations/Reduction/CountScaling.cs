namespace Graph.Core.Operations;

/// <summary>
/// Scaling by an element count in gradient rules (means, mean losses, batch statistics). When the sizes counted are
/// fixed, the count is a constant, exactly as the rule always wrote it; when one is dynamic, it is a
/// <see cref="ShapeScalar"/> of the value counted, so each concrete size a session fixes divides by its own count
/// (the actual batch) and gives the bits the graph built for that size gives.
/// </summary>
internal static class CountScaling
{
    /// <summary><paramref name="v"/> · (<paramref name="scale"/> / n), n the product of <paramref name="counted"/>'s sizes along <paramref name="axes"/>.</summary>
    public static Value TimesPerCount(Value v, Value counted, int[] axes, double scale) =>
        IsFixed(counted.Shape, axes)
            ? v * ShapeScalar.Evaluate(counted.Shape, axes, scale, invert: true)
            : v * Count(counted, axes, scale, invert: true);

    /// <summary><paramref name="v"/> / n, n the product of <paramref name="counted"/>'s sizes along <paramref name="axes"/>.</summary>
    public static Value OverCount(Value v, Value counted, int[] axes) =>
        IsFixed(counted.Shape, axes)
            ? v / ShapeScalar.Evaluate(counted.Shape, axes, 1, invert: false)
            : v / Count(counted, axes, 1, invert: false);

    /// <summary>Every axis of <paramref name="shape"/>.</summary>
    public static int[] All(Shape shape) => Enumerable.Range(0, shape.Rank).ToArray();

    /// <summary>Every axis of <paramref name="shape"/> but the channels (axis 1): what batch statistics count.</summary>
    public static int[] AllButChannels(Shape shape) => [0, .. Enumerable.Range(2, shape.Rank - 2)];

    private static bool IsFixed(Shape shape, int[] axes) => axes.All(axis => shape[axis] != Shape.Dynamic);

    private static Value Count(Value counted, int[] axes, double scale, bool invert) =>
        counted.Builder.Apply(ShapeScalar.Instance, ShapeScalar.Attributes(axes, scale, invert), counted);
}
