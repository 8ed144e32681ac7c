using Graph.Core;

namespace Graph.Serialization;

/// <summary>
/// The fixed facts of the <c>.graph</c> format (docs/graph-format.md): the magic, the version, the names of
/// dtypes and value kinds as files spell them, and the limits a loader enforces before it trusts a number.
/// </summary>
internal static class GraphFormat
{
    /// <summary>The value of the envelope's <c>"format"</c> field.</summary>
    public const string Magic = "graph";

    /// <summary>The major version this code writes and reads. A reader refuses a newer major version.</summary>
    public const int MajorVersion = 1;

    /// <summary>
    /// The minor version this code writes. Minor versions only add fields, which older readers skip: 1.1 added fused
    /// ranges, 1.2 the session's run state (the forward-pass count dropout draws its masks from), 1.3 each value's
    /// optional source location, 1.4 dynamic dimensions (-1 in a shape), 1.5 batch_norm's optional attribute
    /// <c>update_running_stats</c> (false on the copies a memory budget recomputes).
    /// </summary>
    public const int MinorVersion = 5;

    /// <summary>The most values a file may declare: far above any real graph, low enough that id tables stay small.</summary>
    public const int MaxValues = 1 << 20;

    /// <summary>The largest file the loader reads: it is read into one array, and offsets in it are 32-bit.</summary>
    public const long MaxFileBytes = int.MaxValue - 64;

    /// <summary>The highest rank a value may have.</summary>
    public const int MaxRank = 8;

    /// <summary>The most bytes one tensor may take: what one <see cref="AlignedBuffer"/> holds.</summary>
    public const long MaxTensorBytes = int.MaxValue - AlignedBuffer.Alignment;

    /// <summary>The largest arena: a session addresses it with 32-bit offsets in one <see cref="AlignedBuffer"/>.</summary>
    public const long MaxArenaBytes = MaxTensorBytes;

    /// <summary>
    /// The most memory a loaded session may allocate beyond the tensors stored in the file (arena, inputs,
    /// gradient seeds, gradients, convolution scratch): a few bytes of file must not be able to ask for unbounded
    /// memory. 4 GiB holds the largest arena a session can address (2 GiB) with room for its inputs and scratch.
    /// </summary>
    public const long MaxSessionBytes = 4L << 30;

    /// <summary>
    /// The highest optimizer step count a file may hold: 2^53, the last count a double (which PyTorch keeps the step
    /// in, and which bias corrections are computed in) still counts exactly. No training run comes near it.
    /// </summary>
    public const long MaxOptimizerStep = 1L << 53;

    /// <summary>The version this code writes, as text.</summary>
    public static string VersionText => $"{MajorVersion}.{MinorVersion}";

    /// <summary>How files spell a dtype.</summary>
    public static string DTypeName(DType dtype) => dtype.Name();

    /// <summary>The dtype a file names, or null.</summary>
    public static DType? ParseDType(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        "int64" => DType.Int64,
        "bool" => DType.Bool,
        _ => null,
    };

    /// <summary>How files spell a value kind.</summary>
    public static string KindName(ValueKind kind) => kind switch
    {
        ValueKind.Input => "input",
        ValueKind.Parameter => "parameter",
        ValueKind.Constant => "constant",
        ValueKind.Operation => "operation",
        ValueKind.GradientSeed => "gradient_seed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown value kind."),
    };

    /// <summary>The value kind a file names, or null.</summary>
    public static ValueKind? ParseKind(string name) => name switch
    {
        "input" => ValueKind.Input,
        "parameter" => ValueKind.Parameter,
        "constant" => ValueKind.Constant,
        "operation" => ValueKind.Operation,
        "gradient_seed" => ValueKind.GradientSeed,
        _ => null,
    };
}
