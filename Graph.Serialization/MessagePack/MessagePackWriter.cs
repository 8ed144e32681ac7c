using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Graph.Serialization.MessagePack;

/// <summary>
/// Writes MessagePack values, one after another, straight into an <see cref="IBufferWriter{T}"/>.
/// </summary>
/// <remarks>
/// Every value takes the shortest encoding the specification allows, so equal values always produce
/// equal bytes: a file written twice is byte-for-byte identical. Non-negative integers use the
/// unsigned families (positive fixint, uint8..uint64) and negative ones the signed families, as the
/// reference implementations do. Nothing is allocated per value.
/// </remarks>
public sealed class MessagePackWriter
{
    // Lone surrogates cannot be represented in UTF-8; failing loudly beats writing U+FFFD in their place.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private const int RawChunkBytes = 1 << 16;

    private readonly IBufferWriter<byte> _output;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    public MessagePackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Writes <c>nil</c> (0xc0).</summary>
    public void WriteNil() => WriteCode(MessagePackCode.Nil);

    /// <summary>Writes <c>true</c> (0xc3) or <c>false</c> (0xc2).</summary>
    public void Write(bool value) => WriteCode(value ? MessagePackCode.True : MessagePackCode.False);

    /// <summary>Writes an integer in the shortest of the int and uint formats that holds it.</summary>
    public void Write(int value) => Write((long)value);

    /// <summary>Writes an integer in the shortest of the int and uint formats that holds it.</summary>
    public void Write(long value)
    {
        if (value >= 0)
        {
            Write((ulong)value);
            return;
        }

        Span<byte> span = _output.GetSpan(9);
        int length;
        if (value >= -32)
        {
            // Negative fixint: the byte itself is the two's-complement value, 0xe0..0xff.
            span[0] = (byte)(sbyte)value;
            length = 1;
        }
        else if (value >= sbyte.MinValue)
        {
            span[0] = MessagePackCode.Int8;
            span[1] = (byte)(sbyte)value;
            length = 2;
        }
        else if (value >= short.MinValue)
        {
            span[0] = MessagePackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
            length = 3;
        }
        else if (value >= int.MinValue)
        {
            span[0] = MessagePackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
            length = 5;
        }
        else
        {
            span[0] = MessagePackCode.Int64;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            length = 9;
        }

        _output.Advance(length);
    }

    /// <summary>Writes a non-negative integer as a positive fixint or the shortest uint format that holds it.</summary>
    public void Write(ulong value)
    {
        Span<byte> span = _output.GetSpan(9);
        int length;
        if (value <= MessagePackCode.MaxPositiveFixInt)
        {
            span[0] = (byte)value;
            length = 1;
        }
        else if (value <= byte.MaxValue)
        {
            span[0] = MessagePackCode.UInt8;
            span[1] = (byte)value;
            length = 2;
        }
        else if (value <= ushort.MaxValue)
        {
            span[0] = MessagePackCode.UInt16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            length = 3;
        }
        else if (value <= uint.MaxValue)
        {
            span[0] = MessagePackCode.UInt32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            length = 5;
        }
        else
        {
            span[0] = MessagePackCode.UInt64;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            length = 9;
        }

        _output.Advance(length);
    }

    /// <summary>Writes a <c>float32</c> (0xca); the bits, NaN payloads included, are kept exactly.</summary>
    public void Write(float value)
    {
        Span<byte> span = _output.GetSpan(5);
        span[0] = MessagePackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(span[1..], value);
        _output.Advance(5);
    }

    /// <summary>Writes a <c>float64</c> (0xcb); the bits, NaN payloads included, are kept exactly.</summary>
    public void Write(double value)
    {
        Span<byte> span = _output.GetSpan(9);
        span[0] = MessagePackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _output.Advance(9);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 in the shortest of fixstr, str8, str16 and str32.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> holds a lone surrogate, which UTF-8 cannot encode.</exception>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // Encode straight into the output: count first so the header can precede the bytes.
        int byteCount = s_strictUtf8.GetByteCount(value.AsSpan());
        Span<byte> span = _output.GetSpan(5);
        if (byteCount <= MessagePackCode.MaxFixStrLength)
        {
            span[0] = (byte)(MessagePackCode.MinFixStr | byteCount);
            _output.Advance(1);
        }
        else
        {
            _output.Advance(WriteSizedHeader(span, byteCount, MessagePackCode.Str8, MessagePackCode.Str16, MessagePackCode.Str32));
        }

        if (byteCount > 0)
        {
            int written = s_strictUtf8.GetBytes(value.AsSpan(), _output.GetSpan(byteCount));
            _output.Advance(written);
        }
    }

    /// <summary>Writes <paramref name="value"/> in the shortest of bin8, bin16 and bin32.</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteBinaryHeader(value.Length);
        WriteRaw(value);
    }

    /// <summary>
    /// Writes the header of a binary of <paramref name="length"/> bytes (the shortest of bin8, bin16 and bin32);
    /// the caller writes exactly that many bytes next, with <see cref="WriteRaw"/>, so a large binary can be
    /// streamed without being held in memory first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public void WriteBinaryHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Span<byte> span = _output.GetSpan(5);
        _output.Advance(WriteSizedHeader(span, length, MessagePackCode.Bin8, MessagePackCode.Bin16, MessagePackCode.Bin32));
    }

    /// <summary>Appends <paramref name="bytes"/> as they are: the body of a binary whose header was written.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        // In pieces, so that a buffer writer that streams to a file never needs a span as large as a tensor.
        while (!bytes.IsEmpty)
        {
            Span<byte> span = _output.GetSpan(Math.Min(bytes.Length, RawChunkBytes));
            int count = Math.Min(span.Length, bytes.Length);
            bytes[..count].CopyTo(span);
            _output.Advance(count);
            bytes = bytes[count..];
        }
    }

    /// <summary>Writes the header of an array of <paramref name="count"/> elements; the elements follow as separate writes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void WriteArrayHeader(int count) =>
        WriteCollectionHeader(count, MessagePackCode.MinFixArray, MessagePackCode.Array16, MessagePackCode.Array32);

    /// <summary>Writes the header of a map of <paramref name="count"/> entries; each entry follows as a key write then a value write.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void WriteMapHeader(int count) =>
        WriteCollectionHeader(count, MessagePackCode.MinFixMap, MessagePackCode.Map16, MessagePackCode.Map32);

    private void WriteCode(byte code)
    {
        _output.GetSpan(1)[0] = code;
        _output.Advance(1);
    }

    // Arrays and maps have no 8-bit form: fix, then 16-bit, then 32-bit counts.
    private void WriteCollectionHeader(int count, byte fixCode, byte code16, byte code32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Span<byte> span = _output.GetSpan(5);
        int length;
        if (count <= MessagePackCode.MaxFixCollectionCount)
        {
            span[0] = (byte)(fixCode | count);
            length = 1;
        }
        else if (count <= ushort.MaxValue)
        {
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)count);
            length = 3;
        }
        else
        {
            span[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)count);
            length = 5;
        }

        _output.Advance(length);
    }

    // The 8/16/32-bit length header shared by str and bin; returns the bytes written.
    private static int WriteSizedHeader(Span<byte> span, int length, byte code8, byte code16, byte code32)
    {
        if (length <= byte.MaxValue)
        {
            span[0] = code8;
            span[1] = (byte)length;
            return 2;
        }

        if (length <= ushort.MaxValue)
        {
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            return 3;
        }

        span[0] = code32;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        return 5;
    }
}
