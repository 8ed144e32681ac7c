namespace Graph.Data;

/// <summary>An IDX file is malformed: bad magic or type code, impossible dimensions, truncated, or with trailing bytes.</summary>
public sealed class IdxFormatException : Exception
{
    /// <summary>A format error for the file at <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The file read.</param>
    /// <param name="reason">What is wrong, as one sentence.</param>
    /// <param name="innerException">The lower-level error that revealed the defect, if any.</param>
    public IdxFormatException(string filePath, string reason, Exception? innerException = null)
        : base($"Invalid IDX file '{filePath}': {reason}", innerException)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The file read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file prefix.</summary>
    public string Reason { get; }
}
