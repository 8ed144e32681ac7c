using Graph.Core;
using Proto = global::Onnx;

namespace Graph.Onnx.Reading;

/// <summary>ONNX's element type numbers (<c>TensorProto.DataType</c>) and Graph's dtypes.</summary>
internal static class ElementTypes
{
    /// <summary>The Graph dtype a tensor of ONNX type <paramref name="elementType"/> becomes; int32 widens to int64.</summary>
    /// <exception cref="OnnxFormatException">Graph has no dtype for it (float16, strings, unsigned and narrow integers).</exception>
    public static DType ToDType(int elementType, string what) => (Proto.TensorProto.Types.DataType)elementType switch
    {
        Proto.TensorProto.Types.DataType.Float => DType.Float32,
        Proto.TensorProto.Types.DataType.Double => DType.Float64,
        Proto.TensorProto.Types.DataType.Int64 or Proto.TensorProto.Types.DataType.Int32 => DType.Int64,
        Proto.TensorProto.Types.DataType.Bool => DType.Bool,
        _ => throw new OnnxFormatException($"{what} has element type {Name(elementType)}; Graph supports float, double, int64 (int32 widens to it) and bool."),
    };

    /// <summary>The ONNX element type of a Graph dtype.</summary>
    public static int FromDType(DType dtype) => (int)(dtype switch
    {
        DType.Float32 => Proto.TensorProto.Types.DataType.Float,
        DType.Float64 => Proto.TensorProto.Types.DataType.Double,
        DType.Int64 => Proto.TensorProto.Types.DataType.Int64,
        DType.Bool => Proto.TensorProto.Types.DataType.Bool,
        _ => throw new NotSupportedException($"dtype {dtype} has no ONNX element type here."),
    });

    /// <summary>ONNX's name of an element type, or its number when it has none.</summary>
    public static string Name(int elementType) =>
        Enum.IsDefined(typeof(Proto.TensorProto.Types.DataType), elementType)
            ? ((Proto.TensorProto.Types.DataType)elementType).ToString().ToLowerInvariant()
            : $"number {elementType}";
}
