
namespace Graph.Core.Planning;

/// <summary>Arena offsets and sizes are multiples of <see cref="AlignedBuffer.Alignment"/>, so every view is aligned for SIMD loads.</summary>
internal static class Alignment
{
    /// <summary><paramref name="bytes"/> rounded up to the alignment.</summary>
    public static long Up(long bytes) => (bytes + AlignedBuffer.Alignment - 1) / AlignedBuffer.Alignment * AlignedBuffer.Alignment;
}
