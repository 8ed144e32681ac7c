namespace Graph.Serialization;

/// <summary>A safetensors file already in memory.</summary>
internal readonly ref struct SpanSource : ISafetensorsSource
{
    private readonly ReadOnlySpan<byte> _bytes;

    public SpanSource(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public long Length => _bytes.Length;

    public bool TryReadAt(long offset, scoped Span<byte> destination)
    {
        if (offset < 0 || offset > _bytes.Length - destination.Length)
        {
            return false;
        }

        _bytes.Slice((int)offset, destination.Length).CopyTo(destination);
        return true;
    }
}
