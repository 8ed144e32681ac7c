namespace Graph.Core;

/// <summary>
/// Size computations that cannot wrap: products saturate at <see cref="long.MaxValue"/>, so a size too large for
/// any tensor compares as too large instead of wrapping to a small or negative number (2^64 elements used to read 0).
/// </summary>
internal static class SizeArithmetic
{
    /// <summary><paramref name="a"/> · <paramref name="b"/> for sizes of 0 or more, or <see cref="long.MaxValue"/> when it does not fit.</summary>
    public static long Multiply(long a, long b) =>
        a == 0 || b == 0 ? 0 : a > long.MaxValue / b ? long.MaxValue : a * b;

    /// <summary>The product of <paramref name="dims"/>, saturated; a dynamic dimension counts as 1 (a symbolic value's size check is a lower bound, and each concrete shape is checked again).</summary>
    public static long Product(ReadOnlySpan<int> dims)
    {
        long n = 1;
        foreach (int d in dims)
        {
            n = Multiply(n, d == Shape.Dynamic ? 1 : d);
        }

        return n;
    }

    /// <summary>The bytes of <paramref name="type"/>, saturated.</summary>
    public static long Bytes(TensorType type) => Multiply(Product(type.Shape.Dims), type.DType.SizeInBytes());

    /// <summary>
    /// Null when a tensor of <paramref name="type"/> fits one buffer; otherwise why not, as a sentence fragment.
    /// Checked when a value is built, so the error names the value, not a session that fails to allocate it later.
    /// </summary>
    public static string? TooLargeForATensor(TensorType type)
    {
        long bytes = Bytes(type);
        return bytes <= AlignedBuffer.MaxByteLength ? null
            : $"{type} needs {(bytes == long.MaxValue ? "more than 2^63" : bytes.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes, more than one tensor holds ({AlignedBuffer.MaxByteLength} bytes)";
    }
}
