namespace Graph.Serialization;

/// <summary>Random access to the bytes of a safetensors file, wherever they are (a file, a span in memory).</summary>
internal interface ISafetensorsSource
{
    /// <summary>The total number of bytes.</summary>
    long Length { get; }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; false if the bytes run out first.</summary>
    bool TryReadAt(long offset, scoped Span<byte> destination);
}
