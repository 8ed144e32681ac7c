using Graph.Core;

namespace Graph.Serialization;

/// <summary>Tensor data in a file: the raw little-endian row-major bytes, exactly as many as the type needs.</summary>
internal static class TensorData
{
    /// <summary>A new tensor of <paramref name="type"/> holding <paramref name="bytes"/>.</summary>
    /// <exception cref="GraphFormatException">The length is not the type's, or a bool element is neither 0 nor 1.</exception>
    public static Tensor Read(ReadOnlySpan<byte> bytes, TensorType type, long offset, string what)
    {
        // Allocate only once the bytes are known to be there: the declared type alone is not trusted.
        if (bytes.Length != type.ByteCount)
        {
            throw new GraphFormatException(offset, $"{what} is {type} ({type.ByteCount} bytes) but its data has {bytes.Length} bytes");
        }

        if (type.DType == DType.Bool && bytes.ContainsAnyExcept((byte)0, (byte)1))
        {
            throw new GraphFormatException(offset + bytes.IndexOfAnyExcept((byte)0, (byte)1), $"{what} is bool but holds a byte other than 0 and 1");
        }

        Tensor tensor = Tensor.Zeros(type.Shape, type.DType);
        bytes.CopyTo(tensor.Bytes);
        return tensor;
    }
}
