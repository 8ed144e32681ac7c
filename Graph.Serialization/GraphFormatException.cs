namespace Graph.Serialization;

/// <summary>
/// A <c>.graph</c> file, or a part of one, is malformed: truncated, of the wrong type where a value was
/// expected, or declaring a length its bytes cannot hold.
/// </summary>
/// <remarks>
/// Every defect found while decoding untrusted bytes surfaces as this one exception type, so a loader
/// can reject a bad file with a single <c>catch</c> and report where the problem is.
/// </remarks>
public sealed class GraphFormatException : Exception
{
    /// <summary>Creates an exception for a defect found at <paramref name="offset"/>.</summary>
    /// <param name="offset">The absolute byte offset, from the start of the file, of the offending byte.</param>
    /// <param name="reason">What is wrong, in a few words, without the offset.</param>
    public GraphFormatException(long offset, string reason)
        : this(offset, reason, innerException: null)
    {
    }

    /// <summary>Creates an exception for a defect found at <paramref name="offset"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="offset">The absolute byte offset, from the start of the file, of the offending byte.</param>
    /// <param name="reason">What is wrong, in a few words, without the offset.</param>
    /// <param name="innerException">The lower-level failure that revealed the defect, if any.</param>
    public GraphFormatException(long offset, string reason, Exception? innerException)
        : base($"Invalid .graph file at byte {offset}: {reason}", innerException)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The absolute byte offset, from the start of the file, where the defect was found.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the offset; <see cref="Exception.Message"/> combines the two.</summary>
    public string Reason { get; }
}
