namespace Graph.Serialization;

/// <summary>
/// A safetensors file or buffer is malformed: its header length, JSON, a tensor's dtype, shape or offsets, or
/// the layout of its data section. The message names the file (when there is one), the tensor and the defect.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    /// <summary>A format error with a message naming the file, the tensor and the defect.</summary>
    /// <param name="filePath">The file read, or null when reading bytes from memory.</param>
    /// <param name="tensorName">The tensor at fault, or null when the defect is not one tensor's.</param>
    /// <param name="reason">What is wrong, as one sentence.</param>
    /// <param name="innerException">The lower-level error that revealed the defect, if any.</param>
    public SafetensorsFormatException(string? filePath, string? tensorName, string reason, Exception? innerException = null)
        : base(Compose(filePath, tensorName, reason), innerException)
    {
        FilePath = filePath;
        TensorName = tensorName;
        Reason = reason;
    }

    /// <summary>The file read, or null when the bytes came from memory.</summary>
    public string? FilePath { get; }

    /// <summary>The tensor at fault, or null when the defect is not one tensor's (header length, JSON, layout).</summary>
    public string? TensorName { get; }

    /// <summary>What is wrong, without the file and tensor prefix.</summary>
    public string Reason { get; }

    private static string Compose(string? filePath, string? tensorName, string reason)
    {
        string where = filePath is null ? "safetensors data" : $"safetensors file '{filePath}'";
        return tensorName is null ? $"Invalid {where}: {reason}" : $"Invalid {where}, tensor '{tensorName}': {reason}";
    }
}
