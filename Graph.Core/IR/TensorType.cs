namespace Graph.Core;

/// <summary>The static type of a value: its shape and element type.</summary>
/// <param name="Shape">The dimensions.</param>
/// <param name="DType">The element type.</param>
public readonly record struct TensorType(Shape Shape, DType DType)
{
    /// <summary>The size in bytes of a dense tensor of this type.</summary>
    public long ByteCount => Shape.ElementCount * DType.SizeInBytes();

    /// <summary>Prints as <c>float32[2, 3]</c>.</summary>
    public override string ToString() => $"{DType.Name()}{Shape}";
}
