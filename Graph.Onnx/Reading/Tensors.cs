using Graph.Core;

namespace Graph.Onnx.Reading;

/// <summary>Tensors of any rank from flat data: <see cref="Tensor.FromArray(float[], int[])"/> reads no dimensions as a vector, ONNX as a scalar.</summary>
internal static class Tensors
{
    public static Tensor Create<T>(T[] data, int[] dims)
        where T : unmanaged
    {
        var tensor = Tensor.Zeros(new Shape(dims), DTypeExtensions.Of<T>());
        if (tensor.ElementCount != data.Length)
        {
            throw new ArgumentException($"{data.Length} values do not fill shape {tensor.Shape}.", nameof(data));
        }

        data.CopyTo(tensor.AsSpan<T>());
        return tensor;
    }
}
