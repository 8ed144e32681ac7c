namespace Graph.Core;

/// <summary>
/// A block of host memory whose first byte sits on a 64-byte boundary (a cache line, and the width of
/// a Vector512), so kernels may use aligned vector loads. The bytes live in an array on the pinned object
/// heap: the GC never moves it, so the alignment computed once stays true, and no finalizer is needed.
/// </summary>
public sealed class AlignedBuffer
{
    /// <summary>The alignment, in bytes, of <see cref="Span"/>'s first byte.</summary>
    public const int Alignment = 64;

    /// <summary>The most bytes one buffer, and so one tensor, holds: its bytes live in one array.</summary>
    public const long MaxByteLength = int.MaxValue - Alignment;

    private readonly byte[] _array;
    private readonly int _offset;

    /// <summary>Allocates <paramref name="byteLength"/> bytes, zeroed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or too large for one buffer.</exception>
    public AlignedBuffer(long byteLength)
    {
        if (byteLength < 0 || byteLength > MaxByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(byteLength), byteLength, $"A buffer holds 0 to {MaxByteLength} bytes.");
        }

        _array = GC.AllocateArray<byte>((int)byteLength + Alignment, pinned: true);
        _offset = MisalignmentFix(_array);
        Length = (int)byteLength;
    }

    /// <summary>The usable length in bytes.</summary>
    public int Length { get; }

    /// <summary>The usable bytes, starting on a 64-byte boundary.</summary>
    public Span<byte> Span => _array.AsSpan(_offset, Length);

    /// <summary>A slice of the usable bytes.</summary>
    public Span<byte> Slice(int byteOffset, int byteLength) => _array.AsSpan(_offset + byteOffset, byteLength);

    private static unsafe int MisalignmentFix(byte[] array)
    {
        fixed (byte* p = array)
        {
            int misalignment = (int)((nuint)p % Alignment);
            return misalignment == 0 ? 0 : Alignment - misalignment;
        }
    }
}
