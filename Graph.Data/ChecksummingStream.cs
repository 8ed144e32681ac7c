namespace Graph.Data;

/// <summary>A read-only pass-through stream that counts the bytes read through it and keeps their CRC-32.</summary>
internal sealed class ChecksummingStream : Stream
{
    private readonly Stream _inner;

    public ChecksummingStream(Stream inner) => _inner = inner;

    /// <summary>The CRC-32 of every byte read so far.</summary>
    public uint Crc { get; private set; }

    /// <summary>The number of bytes read so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = _inner.Read(buffer);
        Crc = Crc32.Append(Crc, buffer[..read]);
        BytesRead += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
