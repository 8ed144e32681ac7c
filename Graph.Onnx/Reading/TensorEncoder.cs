using System.Runtime.InteropServices;
using Google.Protobuf;
using Graph.Core;
using Proto = global::Onnx;

namespace Graph.Onnx.Reading;

/// <summary>A Graph tensor as a <c>TensorProto</c> with raw little-endian data.</summary>
internal static class TensorEncoder
{
    public static Proto.TensorProto Encode(Tensor tensor, string name)
    {
        var proto = new Proto.TensorProto { Name = name, DataType = ElementTypes.FromDType(tensor.DType) };
        foreach (int d in tensor.Shape.Dims)
        {
            proto.Dims.Add(d);
        }

        byte[] raw = tensor.DType switch
        {
            DType.Float32 => MemoryMarshal.AsBytes(tensor.AsSpan<float>()).ToArray(),
            DType.Float64 => MemoryMarshal.AsBytes(tensor.AsSpan<double>()).ToArray(),
            DType.Int64 => MemoryMarshal.AsBytes(tensor.AsSpan<long>()).ToArray(),
            _ => tensor.AsSpan<bool>().ToArray().Select(b => b ? (byte)1 : (byte)0).ToArray(),
        };
        proto.RawData = ByteString.CopyFrom(raw);
        return proto;
    }
}
