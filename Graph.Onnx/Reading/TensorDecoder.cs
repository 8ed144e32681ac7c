using System.Runtime.InteropServices;
using Graph.Core;
using Proto = global::Onnx;

namespace Graph.Onnx.Reading;

/// <summary>
/// A <c>TensorProto</c> as a Graph tensor. Nothing in the message is trusted: every dimension must fit an int, and the
/// element count the dimensions declare must match the bytes or values the message holds before anything is allocated,
/// so the allocation is bounded by the file's own size.
/// </summary>
internal static class TensorDecoder
{
    public static Tensor Decode(Proto.TensorProto tensor, string what)
    {
        if (tensor.DataLocation == Proto.TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            throw new OnnxFormatException($"{what} keeps its data in an external file; Graph reads only models with their data inside the .onnx file.");
        }

        if (tensor.Segment is not null)
        {
            throw new OnnxFormatException($"{what} is a segment of a larger tensor; Graph does not support segmented tensors.");
        }

        int[] dims = Dimensions(tensor.Dims, what);
        long count = ElementCount(dims, what);
        var type = (Proto.TensorProto.Types.DataType)tensor.DataType;
        DType dtype = ElementTypes.ToDType(tensor.DataType, what);
        return tensor.HasRawData ? FromRaw(tensor, type, dims, count, what) : FromTyped(tensor, type, dtype, dims, count, what);
    }

    /// <summary>ONNX dimensions as Graph's, each in [0, int.MaxValue].</summary>
    public static int[] Dimensions(IReadOnlyList<long> dims, string what)
    {
        var result = new int[dims.Count];
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] is < 0 or > int.MaxValue)
            {
                throw new OnnxFormatException($"{what} has dimension {dims[i]} at axis {i}; a dimension must be in [0, {int.MaxValue}].");
            }

            result[i] = (int)dims[i];
        }

        return result;
    }

    private static long ElementCount(int[] dims, string what)
    {
        long count = 1;
        foreach (int d in dims)
        {
            // Capped at the most elements a protobuf message could possibly hold, so the product cannot overflow.
            count = Math.Min(count * d, ModelFile.MaxFileBytes + 1);
        }

        if (count > int.MaxValue)
        {
            throw new OnnxFormatException($"{what} declares [{string.Join(", ", dims)}], more elements than a file can hold.");
        }

        return count;
    }

    private static Tensor FromRaw(Proto.TensorProto tensor, Proto.TensorProto.Types.DataType type, int[] dims, long count, string what)
    {
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        int size = type switch
        {
            Proto.TensorProto.Types.DataType.Float or Proto.TensorProto.Types.DataType.Int32 => 4,
            Proto.TensorProto.Types.DataType.Double or Proto.TensorProto.Types.DataType.Int64 => 8,
            _ => 1,
        };
        if (raw.Length != count * size)
        {
            throw new OnnxFormatException($"{what} declares [{string.Join(", ", dims)}] of {ElementTypes.Name(tensor.DataType)} ({count * size} bytes) but holds {raw.Length} bytes.");
        }

        // ONNX stores raw data little-endian, as this machine does.
        return type switch
        {
            Proto.TensorProto.Types.DataType.Float => Tensors.Create(MemoryMarshal.Cast<byte, float>(raw).ToArray(), dims),
            Proto.TensorProto.Types.DataType.Double => Tensors.Create(MemoryMarshal.Cast<byte, double>(raw).ToArray(), dims),
            Proto.TensorProto.Types.DataType.Int64 => Tensors.Create(MemoryMarshal.Cast<byte, long>(raw).ToArray(), dims),
            Proto.TensorProto.Types.DataType.Int32 => Tensors.Create(Widen(MemoryMarshal.Cast<byte, int>(raw)), dims),
            _ => Tensors.Create(raw.ToArray().Select(b => b != 0).ToArray(), dims),
        };
    }

    private static Tensor FromTyped(Proto.TensorProto tensor, Proto.TensorProto.Types.DataType type, DType dtype, int[] dims, long count, string what)
    {
        int held = type switch
        {
            Proto.TensorProto.Types.DataType.Float => tensor.FloatData.Count,
            Proto.TensorProto.Types.DataType.Double => tensor.DoubleData.Count,
            Proto.TensorProto.Types.DataType.Int64 => tensor.Int64Data.Count,
            _ => tensor.Int32Data.Count,
        };
        if (held != count)
        {
            throw new OnnxFormatException($"{what} declares [{string.Join(", ", dims)}] ({count} elements of {dtype.Name()}) but holds {held}.");
        }

        return type switch
        {
            Proto.TensorProto.Types.DataType.Float => Tensors.Create(tensor.FloatData.ToArray(), dims),
            Proto.TensorProto.Types.DataType.Double => Tensors.Create(tensor.DoubleData.ToArray(), dims),
            Proto.TensorProto.Types.DataType.Int64 => Tensors.Create(tensor.Int64Data.ToArray(), dims),
            Proto.TensorProto.Types.DataType.Int32 => Tensors.Create(Widen(tensor.Int32Data.ToArray()), dims),
            _ => Tensors.Create(tensor.Int32Data.Select(b => b != 0).ToArray(), dims),
        };
    }

    private static long[] Widen(ReadOnlySpan<int> values)
    {
        var wide = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            wide[i] = values[i];
        }

        return wide;
    }
}
