using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Graph.Serialization.MessagePack;

/// <summary>
/// Reads MessagePack values, one after another, from a span of untrusted bytes.
/// </summary>
/// <remarks>
/// <para>
/// Every read checks the type byte against what was asked for, and every declared length and element count
/// against the bytes that remain, before anything is sliced or allocated. Every defect, whatever it is,
/// surfaces as a <see cref="GraphFormatException"/> whose offset is absolute in the file (the base offset given
/// at construction plus the position in the span): the type byte of the offending value, or the end of the
/// data when a value is missing altogether.
/// </para>
/// <para>
/// A read that throws leaves <see cref="Position"/> where it was. Strings must be valid UTF-8; the reserved
/// byte 0xc1 is never a valid value.
/// </para>
/// </remarks>
public ref partial struct MessagePackReader
{
    /// <summary>The most arrays and maps <see cref="Skip"/> accepts inside one another.</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly long _baseOffset;
    private int _position;

    /// <summary>Creates a reader over <paramref name="buffer"/>, positioned at its first byte.</summary>
    /// <param name="buffer">The bytes to read.</param>
    /// <param name="baseOffset">Where <paramref name="buffer"/> starts in the file, so error offsets are absolute.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseOffset"/> is negative.</exception>
    public MessagePackReader(ReadOnlySpan<byte> buffer, long baseOffset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseOffset);
        _buffer = buffer;
        _baseOffset = baseOffset;
        _position = 0;
    }

    /// <summary>The index in the buffer of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Where the buffer starts in the file.</summary>
    public readonly long BaseOffset => _baseOffset;

    /// <summary>The absolute offset in the file of the next byte to read.</summary>
    public readonly long AbsolutePosition => AbsoluteAt(_position);

    /// <summary>The number of bytes not yet read.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool End => _position == _buffer.Length;

    /// <summary>The family of the next value, without reading it.</summary>
    /// <exception cref="GraphFormatException">The input has ended, or the next byte is the reserved 0xc1.</exception>
    public readonly MessagePackType PeekType() => TypeAt(_position, "a value");

    /// <summary>Reads a <c>nil</c> if that is the next value.</summary>
    /// <returns><see langword="true"/> if a nil was read; <see langword="false"/>, reading nothing, if the next value is something else.</returns>
    /// <exception cref="GraphFormatException">The input has ended, or the next byte is the reserved 0xc1.</exception>
    public bool TryReadNil()
    {
        if (TypeAt(_position, "a value") != MessagePackType.Nil)
        {
            return false;
        }

        _position++;
        return true;
    }

    /// <summary>Reads a <c>nil</c>.</summary>
    /// <exception cref="GraphFormatException">The next value is not nil.</exception>
    public void ReadNil()
    {
        byte code = CodeAt(_position, "nil");
        if (code != MessagePackCode.Nil)
        {
            throw Mismatch(_position, "nil", code);
        }

        _position++;
    }

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    /// <exception cref="GraphFormatException">The next value is not a boolean.</exception>
    public bool ReadBoolean()
    {
        byte code = CodeAt(_position, "a boolean");
        bool value = code switch
        {
            MessagePackCode.True => true,
            MessagePackCode.False => false,
            _ => throw Mismatch(_position, "a boolean", code),
        };

        _position++;
        return value;
    }

    /// <summary>Reads an integer in any of the int and uint formats.</summary>
    /// <exception cref="GraphFormatException">The next value is not an integer, or is a uint64 above <see cref="long.MaxValue"/>.</exception>
    public long ReadInt64()
    {
        int length = PeekInteger(out Int128 value);
        CheckRange(value, long.MinValue, long.MaxValue, "Int64");
        _position += length;
        return (long)value;
    }

    /// <summary>Reads a non-negative integer in any of the int and uint formats.</summary>
    /// <exception cref="GraphFormatException">The next value is not an integer, or is negative.</exception>
    public ulong ReadUInt64()
    {
        int length = PeekInteger(out Int128 value);
        CheckRange(value, ulong.MinValue, ulong.MaxValue, "UInt64");
        _position += length;
        return (ulong)value;
    }

    /// <summary>Reads an integer in any of the int and uint formats that lies in the range of <see cref="int"/>.</summary>
    /// <exception cref="GraphFormatException">The next value is not an integer, or is outside the range of <see cref="int"/>.</exception>
    public int ReadInt32()
    {
        int length = PeekInteger(out Int128 value);
        CheckRange(value, int.MinValue, int.MaxValue, "Int32");
        _position += length;
        return (int)value;
    }

    /// <summary>Reads a <c>float32</c>, bit for bit.</summary>
    /// <remarks>
    /// Only float32 is accepted: narrowing a float64, or converting an integer, could change the value silently,
    /// and a field written as <see cref="float"/> is always written as float32.
    /// </remarks>
    /// <exception cref="GraphFormatException">The next value is not a float32.</exception>
    public float ReadSingle()
    {
        byte code = CodeAt(_position, "a float32");
        if (code != MessagePackCode.Float32)
        {
            throw Mismatch(_position, "a float32", code);
        }

        FrameAt(_position, out _, out _);
        float value = BinaryPrimitives.ReadSingleBigEndian(_buffer.Slice(_position + 1, 4));
        _position += 5;
        return value;
    }

    /// <summary>Reads a <c>float64</c> bit for bit, or a <c>float32</c> widened exactly to <see cref="double"/>.</summary>
    /// <exception cref="GraphFormatException">The next value is neither float64 nor float32.</exception>
    public double ReadDouble()
    {
        byte code = CodeAt(_position, "a float");
        if (code is not (MessagePackCode.Float64 or MessagePackCode.Float32))
        {
            throw Mismatch(_position, "a float", code);
        }

        FrameAt(_position, out int payloadLength, out _);
        ReadOnlySpan<byte> payload = _buffer.Slice(_position + 1, payloadLength);
        double value = code == MessagePackCode.Float64
            ? BinaryPrimitives.ReadDoubleBigEndian(payload)
            : BinaryPrimitives.ReadSingleBigEndian(payload);
        _position += 1 + payloadLength;
        return value;
    }

    /// <summary>Reads a string and decodes it from UTF-8.</summary>
    /// <exception cref="GraphFormatException">The next value is not a string, is cut short, or is not valid UTF-8.</exception>
    public string ReadString()
    {
        ReadOnlySpan<byte> utf8 = PeekPayload(MessagePackType.String, "a string", out int payloadStart);
        string value;
        try
        {
            value = s_strictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw InvalidUtf8(utf8, payloadStart, ex);
        }

        _position = payloadStart + utf8.Length;
        return value;
    }

    /// <summary>Reads a string as its UTF-8 bytes, without allocating; the bytes are checked to be valid UTF-8.</summary>
    /// <returns>A slice of the reader's buffer.</returns>
    /// <exception cref="GraphFormatException">The next value is not a string, is cut short, or is not valid UTF-8.</exception>
    public ReadOnlySpan<byte> ReadStringSpan()
    {
        ReadOnlySpan<byte> utf8 = PeekPayload(MessagePackType.String, "a string", out int payloadStart);
        if (!Utf8.IsValid(utf8))
        {
            throw InvalidUtf8(utf8, payloadStart, innerException: null);
        }

        _position = payloadStart + utf8.Length;
        return utf8;
    }

    /// <summary>Reads a bin8, bin16 or bin32 value, without copying.</summary>
    /// <returns>A slice of the reader's buffer.</returns>
    /// <exception cref="GraphFormatException">The next value is not binary, or is cut short.</exception>
    public ReadOnlySpan<byte> ReadBinary()
    {
        ReadOnlySpan<byte> bytes = PeekPayload(MessagePackType.Binary, "binary", out int payloadStart);
        _position = payloadStart + bytes.Length;
        return bytes;
    }

    /// <summary>Reads an array header; the elements follow as separate values.</summary>
    /// <returns>The number of elements, already checked to be no more than the bytes that remain.</returns>
    /// <exception cref="GraphFormatException">The next value is not an array, or declares more elements than the remaining bytes could hold.</exception>
    public int ReadArrayHeader() => ReadCollectionHeader(MessagePackType.Array, "an array");

    /// <summary>Reads a map header; each entry follows as a key value then a value value.</summary>
    /// <returns>The number of entries, already checked to be no more than half the bytes that remain.</returns>
    /// <exception cref="GraphFormatException">The next value is not a map, or declares more entries than the remaining bytes could hold.</exception>
    public int ReadMapHeader() => ReadCollectionHeader(MessagePackType.Map, "a map") / 2;

    private int ReadCollectionHeader(MessagePackType type, string expected)
    {
        RequireType(type, expected);
        int headerLength = FrameAt(_position, out _, out int elementCount);
        _position += headerLength;
        return elementCount;
    }

    // The payload of the string or binary value at the current position, validated to fit; does not advance.
    private readonly ReadOnlySpan<byte> PeekPayload(MessagePackType type, string expected, out int payloadStart)
    {
        RequireType(type, expected);
        int headerLength = FrameAt(_position, out int payloadLength, out _);
        payloadStart = _position + headerLength;
        return _buffer.Slice(payloadStart, payloadLength);
    }

    private readonly void RequireType(MessagePackType type, string expected)
    {
        byte code = CodeAt(_position, expected);
        if (!MessagePackCode.TryGetType(code, out MessagePackType actual) || actual != type)
        {
            throw Mismatch(_position, expected, code);
        }
    }

    // The integer at the current position, widened so every int and uint format fits; returns its length.
    private readonly int PeekInteger(out Int128 value)
    {
        byte code = CodeAt(_position, "an integer");
        if (code <= MessagePackCode.MaxPositiveFixInt)
        {
            value = code;
            return 1;
        }

        if (code >= MessagePackCode.MinNegativeFixInt)
        {
            value = (sbyte)code;
            return 1;
        }

        if (code is < MessagePackCode.UInt8 or > MessagePackCode.Int64)
        {
            throw Mismatch(_position, "an integer", code);
        }

        FrameAt(_position, out int payloadLength, out _);
        ReadOnlySpan<byte> payload = _buffer.Slice(_position + 1, payloadLength);
        value = code switch
        {
            MessagePackCode.UInt8 => payload[0],
            MessagePackCode.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(payload),
            MessagePackCode.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(payload),
            MessagePackCode.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(payload),
            MessagePackCode.Int8 => (sbyte)payload[0],
            MessagePackCode.Int16 => BinaryPrimitives.ReadInt16BigEndian(payload),
            MessagePackCode.Int32 => BinaryPrimitives.ReadInt32BigEndian(payload),
            _ => BinaryPrimitives.ReadInt64BigEndian(payload),
        };

        return 1 + payloadLength;
    }

    private readonly void CheckRange(Int128 value, Int128 min, Int128 max, string typeName)
    {
        if (value < min || value > max)
        {
            throw new GraphFormatException(AbsoluteAt(_position), $"integer {value} is outside the range of {typeName}");
        }
    }

    // Points at the first byte of the first ill-formed sequence, which is where a reader of the file would look.
    private readonly GraphFormatException InvalidUtf8(ReadOnlySpan<byte> utf8, int payloadStart, Exception? innerException)
    {
        int index = 0;
        while (index < utf8.Length
            && Rune.DecodeFromUtf8(utf8[index..], out _, out int consumed) == OperationStatus.Done)
        {
            index += consumed;
        }

        return new GraphFormatException(AbsoluteAt(payloadStart + index), "string is not valid UTF-8", innerException);
    }
}
