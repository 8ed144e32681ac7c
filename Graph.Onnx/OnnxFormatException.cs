namespace Graph.Onnx;

/// <summary>
/// An <c>.onnx</c> file that Graph cannot take: malformed (truncated, of the wrong type where a value was expected,
/// declaring a length its bytes cannot hold, cyclic), or well formed but using an op, an attribute or a data type the
/// importer does not support. The message names the node, its op type and the opset where one is involved.
/// </summary>
/// <remarks>
/// Every defect found while reading untrusted bytes surfaces as this one exception type, so a caller rejects a bad
/// file with a single <c>catch</c>.
/// </remarks>
public sealed class OnnxFormatException : Exception
{
    /// <summary>Creates an exception saying what is wrong.</summary>
    /// <param name="message">What is wrong and, where it helps, how to fix it.</param>
    public OnnxFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception saying what is wrong, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What is wrong and, where it helps, how to fix it.</param>
    /// <param name="innerException">The lower-level failure that revealed the defect.</param>
    public OnnxFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
