using Graph.Core;

namespace Graph.Serialization;

/// <summary>The safetensors dtype codes of the dtypes Graph has.</summary>
internal static class SafetensorsDTypes
{
    /// <summary>The codes Graph reads, for messages.</summary>
    public const string Supported = "F32, F64, I64 and BOOL";

    /// <summary>The code written for <paramref name="dtype"/>.</summary>
    public static string Code(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The dtype for a code; false for codes Graph has no dtype for (F16, BF16, I32, U8, ...).</summary>
    public static bool TryParse(string code, out DType dtype)
    {
        // Codes are case-sensitive in the format: "f32" is not a dtype the reference implementation knows.
        switch (code)
        {
            case "F32":
                dtype = DType.Float32;
                return true;
            case "F64":
                dtype = DType.Float64;
                return true;
            case "I64":
                dtype = DType.Int64;
                return true;
            case "BOOL":
                dtype = DType.Bool;
                return true;
            default:
                dtype = default;
                return false;
        }
    }
}
