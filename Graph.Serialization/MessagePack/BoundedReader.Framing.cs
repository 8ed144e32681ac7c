using System.Buffers.Binary;
using MessagePack;
using PackageReader = MessagePack.MessagePackReader;

namespace Graph.Serialization;

internal ref partial struct BoundedReader
{
    // The type byte at position, or a defect if the input ends before it.
    private readonly byte CodeAt(int position, string expected)
    {
        if (position >= _buffer.Length)
        {
            throw new GraphFormatException(AbsoluteAt(position), $"unexpected end of data, expected {expected}");
        }

        return _buffer[position];
    }

    // The family of the value at position; the reserved byte 0xc1 is a defect.
    private readonly MessagePackType TypeAt(int position, string expected)
    {
        byte code = CodeAt(position, expected);
        MessagePackType type = MessagePackCode.ToMessagePackType(code);
        if (type == MessagePackType.Unknown)
        {
            throw Mismatch(position, expected, code);
        }

        return type;
    }

    // The next value's type byte must lie in [first, last].
    private readonly void RequireCode(byte first, byte last, string expected)
    {
        byte code = CodeAt(Position, expected);
        if (code < first || code > last)
        {
            throw Mismatch(Position, expected, code);
        }
    }

    private readonly void RequireType(MessagePackType type, string expected)
    {
        byte code = CodeAt(Position, expected);
        if (MessagePackCode.ToMessagePackType(code) != type)
        {
            throw Mismatch(Position, expected, code);
        }
    }

    // The payload of the string or binary value at the current position, validated to fit; does not advance.
    private readonly ReadOnlySpan<byte> PeekPayload(MessagePackType type, string expected, out int payloadStart)
    {
        RequireType(type, expected);
        int headerLength = FrameAt(Position, out int payloadLength, out _);
        payloadStart = Position + headerLength;
        return _buffer.Slice(payloadStart, payloadLength);
    }

    // The integer at the current position, validated to fit, without advancing.
    private readonly Int128 PeekInteger()
    {
        byte code = CodeAt(Position, "an integer");
        if (MessagePackCode.ToMessagePackType(code) != MessagePackType.Integer)
        {
            throw Mismatch(Position, "an integer", code);
        }

        Frame(Position);
        PackageReader peek = _reader;
        return s_readInteger(ref peek);
    }

    // Checks that the value at position fits in the input; returns the number of values inside it (two per map entry).
    private readonly int Frame(int position)
    {
        FrameAt(position, out _, out int elementCount);
        return elementCount;
    }

    /// <summary>
    /// Decodes how the value at <paramref name="position"/> is laid out, checking that it fits in the input.
    /// Returns the header length (type byte, length field and, for ext, the ext type byte); <paramref name="payloadLength"/>
    /// is the number of bytes that follow the header, and <paramref name="elementCount"/> the number of values that
    /// follow an array or map header (two per map entry). Everything is validated before the package reads the value.
    /// </summary>
    private readonly int FrameAt(int position, out int payloadLength, out int elementCount)
    {
        byte code = _buffer[position];
        int headerLength = 1;
        long payload = 0;
        long elements = 0;
        bool declaredLength = true;
        switch (code)
        {
            case <= MessagePackCode.MaxFixInt or >= MessagePackCode.MinNegativeFixInt:
            case MessagePackCode.Nil or MessagePackCode.False or MessagePackCode.True:
                break;
            case <= MessagePackCode.MaxFixMap:
                elements = 2 * (code & 0x0f);
                break;
            case <= MessagePackCode.MaxFixArray:
                elements = code & 0x0f;
                break;
            case <= MessagePackCode.MaxFixStr:
                payload = code & 0x1f;
                break;
            case MessagePackCode.Str8 or MessagePackCode.Bin8:
                headerLength = 2;
                payload = LengthField(position, 1);
                break;
            case MessagePackCode.Str16 or MessagePackCode.Bin16:
                headerLength = 3;
                payload = LengthField(position, 2);
                break;
            case MessagePackCode.Str32 or MessagePackCode.Bin32:
                headerLength = 5;
                payload = LengthField(position, 4);
                break;
            case MessagePackCode.Ext8:
                headerLength = 3;
                payload = LengthField(position, 1);
                break;
            case MessagePackCode.Ext16:
                headerLength = 4;
                payload = LengthField(position, 2);
                break;
            case MessagePackCode.Ext32:
                headerLength = 6;
                payload = LengthField(position, 4);
                break;
            case MessagePackCode.Array16:
                headerLength = 3;
                elements = LengthField(position, 2);
                break;
            case MessagePackCode.Array32:
                headerLength = 5;
                elements = LengthField(position, 4);
                break;
            case MessagePackCode.Map16:
                headerLength = 3;
                elements = 2 * LengthField(position, 2);
                break;
            case MessagePackCode.Map32:
                headerLength = 5;
                elements = 2 * LengthField(position, 4);
                break;
            default:
                // Fixed-size payloads: numbers and fixext (whose header also holds the ext type byte).
                declaredLength = false;
                (headerLength, payload) = code switch
                {
                    MessagePackCode.UInt8 or MessagePackCode.Int8 => (1, 1),
                    MessagePackCode.UInt16 or MessagePackCode.Int16 => (1, 2),
                    MessagePackCode.UInt32 or MessagePackCode.Int32 or MessagePackCode.Float32 => (1, 4),
                    MessagePackCode.UInt64 or MessagePackCode.Int64 or MessagePackCode.Float64 => (1, 8),
                    MessagePackCode.FixExt1 => (2, 1),
                    MessagePackCode.FixExt2 => (2, 2),
                    MessagePackCode.FixExt4 => (2, 4),
                    MessagePackCode.FixExt8 => (2, 8),
                    MessagePackCode.FixExt16 => (2, 16),
                    _ => throw Mismatch(position, "a value", code),
                };
                break;
        }

        int available = _buffer.Length - position;
        if (headerLength + payload > available)
        {
            string reason = declaredLength && payload > 0
                ? $"{Describe(code)} declares {payload} bytes but only {available - headerLength} remain after its header"
                : $"{Describe(code)} needs {headerLength + payload} bytes but only {available} remain";
            throw new GraphFormatException(AbsoluteAt(position), reason);
        }

        // Every value takes at least one byte, so a count the remaining bytes cannot hold is a defect now,
        // not a loop of billions of iterations in the caller later.
        if (elements > available - headerLength)
        {
            throw new GraphFormatException(
                AbsoluteAt(position),
                $"{Describe(code)} declares {elements} values but only {available - headerLength} bytes remain after its header");
        }

        payloadLength = (int)payload;
        elementCount = (int)elements;
        return headerLength;
    }

    // The big-endian length in the 1, 2 or 4 bytes after the type byte at position.
    private readonly long LengthField(int position, int size)
    {
        int available = _buffer.Length - position;
        if (1 + size > available)
        {
            throw new GraphFormatException(
                AbsoluteAt(position),
                $"{Describe(_buffer[position])} needs a {size}-byte length but only {available - 1} bytes remain");
        }

        ReadOnlySpan<byte> field = _buffer.Slice(position + 1, size);
        return size switch
        {
            1 => field[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(field),
            _ => BinaryPrimitives.ReadUInt32BigEndian(field),
        };
    }

    private readonly long AbsoluteAt(int position) => _baseOffset + position;

    private readonly GraphFormatException Mismatch(int position, string expected, byte code) =>
        new(AbsoluteAt(position), $"expected {expected}, found {Describe(code)}");

    // A short description of the value code starts, for error messages: "array (0x93)".
    private static string Describe(byte code)
    {
        string family = code switch
        {
            MessagePackCode.NeverUsed => "the reserved byte",
            MessagePackCode.Float32 => "float32",
            MessagePackCode.Float64 => "float64",
            _ => MessagePackCode.ToMessagePackType(code) switch
            {
                MessagePackType.Nil => "nil",
                MessagePackType.Boolean => "boolean",
                MessagePackType.Integer => "integer",
                MessagePackType.String => "string",
                MessagePackType.Binary => "binary",
                MessagePackType.Array => "array",
                MessagePackType.Map => "map",
                MessagePackType.Extension => "extension",
                _ => "unknown",
            },
        };

        return $"{family} (0x{code:x2})";
    }
}
