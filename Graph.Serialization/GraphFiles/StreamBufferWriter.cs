using System.Buffers;

namespace Graph.Serialization;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over a small fixed buffer that is flushed to a stream (or, without one, only
/// counted), with a running CRC-32C of the bytes written while <see cref="Checksumming"/> is on. Saving streams a
/// file through it, so a session of any size is written with a few kilobytes of memory beyond its own tensors.
/// </summary>
internal sealed class StreamBufferWriter : IBufferWriter<byte>
{
    private const int BufferBytes = 1 << 16;

    private readonly Stream? _stream;
    private byte[] _buffer = new byte[BufferBytes];
    private int _used;
    private uint _crc = uint.MaxValue;
    private bool _checksumming;

    /// <summary>A writer to <paramref name="stream"/>, or one that only counts when it is null.</summary>
    public StreamBufferWriter(Stream? stream)
    {
        _stream = stream;
    }

    /// <summary>The bytes written so far.</summary>
    public long Written { get; private set; }

    /// <summary>The CRC-32C of the bytes written while checksumming was on.</summary>
    public uint Crc
    {
        get
        {
            Flush();
            return ~_crc;
        }
    }

    /// <summary>Whether the bytes written from now on count towards <see cref="Crc"/>.</summary>
    public bool Checksumming
    {
        get => _checksumming;
        set
        {
            Flush(); // buffered bytes belong to the state they were written in
            _checksumming = value;
        }
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _used);
        _used += count;
        Written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_used);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_used);
    }

    /// <summary>Writes the buffered bytes to the stream.</summary>
    public void Flush()
    {
        ReadOnlySpan<byte> pending = _buffer.AsSpan(0, _used);
        if (_checksumming)
        {
            _crc = Crc32C.Append(_crc, pending);
        }

        _stream?.Write(pending);
        _used = 0;
    }

    private void Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _used >= needed)
        {
            return;
        }

        Flush();
        if (needed > _buffer.Length)
        {
            _buffer = new byte[needed]; // only a string longer than the buffer asks for this much at once
        }
    }
}
