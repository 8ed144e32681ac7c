using System.Buffers;
using System.Text;
using System.Text.Unicode;
using MessagePack;
using PackageReader = MessagePack.MessagePackReader;

namespace Graph.Serialization;

/// <summary>
/// The MessagePack package's reader over the untrusted bytes of a file, with the checks a loader needs in front
/// of it: every read first checks the type byte against what was asked for, and every declared length and element
/// count against the bytes that remain (<c>Frame</c>), so the package is never asked to slice, loop over or
/// allocate anything the file has not shown it holds.
/// </summary>
/// <remarks>
/// Every defect surfaces as a <see cref="GraphFormatException"/> whose offset is absolute in the file (the base
/// offset given at construction plus the position in the buffer): the type byte of the offending value, or the end
/// of the data when a value is missing. The package's own exceptions, should a check here ever let one through, are
/// turned into that at one seam (<c>Decode</c>). Strings must be valid UTF-8 (the package would put U+FFFD in place
/// of bad bytes); the reserved byte 0xc1 is never a valid value. A read that throws leaves the position where it was.
/// </remarks>
internal ref partial struct BoundedReader
{
    /// <summary>The most arrays and maps <see cref="Skip"/> accepts inside one another.</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Any int or uint format, widened so that all of them fit.
    private static readonly Read<Int128> s_readInteger = static (ref PackageReader r) =>
        r.NextCode == MessagePackCode.UInt64 ? r.ReadUInt64() : r.ReadInt64();

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly long _baseOffset;
    private PackageReader _reader;

    /// <summary>Creates a reader over <paramref name="buffer"/>, positioned at its first byte.</summary>
    /// <param name="buffer">The bytes to read.</param>
    /// <param name="baseOffset">Where <paramref name="buffer"/> starts in the file, so error offsets are absolute.</param>
    public BoundedReader(ReadOnlyMemory<byte> buffer, long baseOffset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseOffset);
        _buffer = buffer.Span;
        _baseOffset = baseOffset;
        _reader = new PackageReader(buffer);
    }

    // What a read does once the checks have passed: one call of the package's reader.
    private delegate T Read<T>(ref PackageReader reader);

    /// <summary>The index in the buffer of the next byte to read.</summary>
    public readonly int Position => (int)_reader.Consumed;

    /// <summary>The absolute offset in the file of the next byte to read.</summary>
    public readonly long AbsolutePosition => AbsoluteAt(Position);

    /// <summary>The number of bytes not yet read.</summary>
    public readonly int Remaining => _buffer.Length - Position;

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool End => Position == _buffer.Length;

    /// <summary>The family of the next value, without reading it.</summary>
    /// <exception cref="GraphFormatException">The input has ended, or the next byte is the reserved 0xc1.</exception>
    public readonly MessagePackType PeekType() => TypeAt(Position, "a value");

    /// <summary>Reads a <c>nil</c>.</summary>
    /// <exception cref="GraphFormatException">The next value is not nil.</exception>
    public void ReadNil()
    {
        RequireCode(MessagePackCode.Nil, MessagePackCode.Nil, "nil");
        Decode(static (ref PackageReader r) => r.ReadNil());
    }

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    /// <exception cref="GraphFormatException">The next value is not a boolean.</exception>
    public bool ReadBoolean()
    {
        RequireCode(MessagePackCode.False, MessagePackCode.True, "a boolean");
        return Decode(static (ref PackageReader r) => r.ReadBoolean());
    }

    /// <summary>Reads an integer in any of the int and uint formats.</summary>
    /// <exception cref="GraphFormatException">The next value is not an integer, or is a uint64 above <see cref="long.MaxValue"/>.</exception>
    public long ReadInt64()
    {
        CheckRange(PeekInteger(), long.MinValue, long.MaxValue, "Int64");
        return ReadCheckedInteger();
    }

    /// <summary>Reads a non-negative integer in any of the int and uint formats.</summary>
    /// <exception cref="GraphFormatException">The next value is not an integer, or is negative.</exception>
    public ulong ReadUInt64()
    {
        CheckRange(PeekInteger(), ulong.MinValue, ulong.MaxValue, "UInt64");
        return Decode(static (ref PackageReader r) => r.ReadUInt64());
    }

    /// <summary>Reads an integer in any of the int and uint formats that lies in the range of <see cref="int"/>.</summary>
    /// <exception cref="GraphFormatException">The next value is not an integer, or is outside the range of <see cref="int"/>.</exception>
    public int ReadInt32()
    {
        CheckRange(PeekInteger(), int.MinValue, int.MaxValue, "Int32");
        return (int)ReadCheckedInteger();
    }

    /// <summary>Reads a <c>float64</c> bit for bit, or a <c>float32</c> widened exactly to <see cref="double"/>.</summary>
    /// <remarks>Integers are refused, though the package would convert them: a field written as a float is always written as one.</remarks>
    /// <exception cref="GraphFormatException">The next value is neither float64 nor float32.</exception>
    public double ReadDouble()
    {
        RequireCode(MessagePackCode.Float32, MessagePackCode.Float64, "a float");
        Frame(Position);
        return Decode(static (ref PackageReader r) => r.ReadDouble());
    }

    /// <summary>Reads a string and decodes it from UTF-8, which must be valid.</summary>
    /// <exception cref="GraphFormatException">The next value is not a string, is cut short, or is not valid UTF-8.</exception>
    public string ReadString()
    {
        ReadOnlySpan<byte> utf8 = PeekPayload(MessagePackType.String, "a string", out int payloadStart);
        if (!Utf8.IsValid(utf8))
        {
            throw InvalidUtf8(utf8, payloadStart);
        }

        Decode(static (ref PackageReader r) => r.ReadStringSequence());
        return s_strictUtf8.GetString(utf8);
    }

    /// <summary>Reads a bin8, bin16 or bin32 value, without copying.</summary>
    /// <returns>A slice of the reader's buffer.</returns>
    /// <exception cref="GraphFormatException">The next value is not binary, or is cut short.</exception>
    public ReadOnlySpan<byte> ReadBinary()
    {
        ReadOnlySpan<byte> bytes = PeekPayload(MessagePackType.Binary, "binary", out _);
        Decode(static (ref PackageReader r) => r.ReadBytes());
        return bytes;
    }

    /// <summary>Reads an array header; the elements follow as separate values.</summary>
    /// <returns>The number of elements, already checked to be no more than the bytes that remain.</returns>
    /// <exception cref="GraphFormatException">The next value is not an array, or declares more elements than the remaining bytes could hold.</exception>
    public int ReadArrayHeader()
    {
        RequireType(MessagePackType.Array, "an array");
        Frame(Position);
        return Decode(static (ref PackageReader r) => r.ReadArrayHeader());
    }

    /// <summary>Reads a map header; each entry follows as a key value then a value value.</summary>
    /// <returns>The number of entries, already checked to be no more than half the bytes that remain.</returns>
    /// <exception cref="GraphFormatException">The next value is not a map, or declares more entries than the remaining bytes could hold.</exception>
    public int ReadMapHeader()
    {
        RequireType(MessagePackType.Map, "a map");
        Frame(Position);
        return Decode(static (ref PackageReader r) => r.ReadMapHeader());
    }

    /// <summary>
    /// Skips one complete value of any family, arrays and maps with everything inside them included.
    /// </summary>
    /// <remarks>
    /// Skip checks structure only (type bytes, lengths, counts and nesting), not the UTF-8 inside strings. The
    /// package's own Skip recurses into arrays and maps, so hostile nesting could exhaust the stack: containers are
    /// walked here in a loop, and only scalars are handed to the package. Nesting deeper than <see cref="MaxDepth"/>
    /// is rejected all the same, since no valid file needs it. On a defect the position is restored.
    /// </remarks>
    /// <exception cref="GraphFormatException">The value is malformed, cut short, or nested more than <see cref="MaxDepth"/> deep.</exception>
    public void Skip()
    {
        PackageReader start = _reader;
        try
        {
            SkipOne();
        }
        catch (GraphFormatException)
        {
            _reader = start;
            throw;
        }
    }

    private void SkipOne()
    {
        // pending[d] counts the values still to skip inside the container open at depth d; depth 0 is the value itself.
        Span<int> pending = stackalloc int[MaxDepth + 1];
        pending[0] = 1;
        int depth = 0;
        while (true)
        {
            while (pending[depth] == 0)
            {
                if (depth == 0)
                {
                    return;
                }

                depth--;
            }

            pending[depth]--;
            int position = Position;
            MessagePackType type = TypeAt(position, "a value");
            int elementCount = Frame(position);
            if (type is not (MessagePackType.Array or MessagePackType.Map))
            {
                Decode(static (ref PackageReader r) =>
                {
                    r.Skip();
                    return true;
                });
                continue;
            }

            if (depth == MaxDepth)
            {
                throw new GraphFormatException(AbsoluteAt(position), $"arrays and maps are nested more than {MaxDepth} deep");
            }

            // The package counts map entries; Frame counts the values inside, two per entry.
            _ = type == MessagePackType.Array
                ? Decode(static (ref PackageReader r) => r.ReadArrayHeader())
                : Decode(static (ref PackageReader r) => r.ReadMapHeader());
            if (elementCount > 0)
            {
                depth++;
                pending[depth] = elementCount;
            }
        }
    }

    // The seam between the package and the loader: the package's exceptions become the file's defect at the value
    // being read, and the reader stays where it was.
    private T Decode<T>(Read<T> read)
    {
        PackageReader attempt = _reader;
        try
        {
            T value = read(ref attempt);
            _reader = attempt;
            return value;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException)
        {
            throw new GraphFormatException(AbsolutePosition, $"the value cannot be read: {e.Message}", e);
        }
    }

    // An integer already checked to be of an int or uint format and within long's range.
    private long ReadCheckedInteger() => (long)Decode(s_readInteger);

    private readonly void CheckRange(Int128 value, Int128 min, Int128 max, string typeName)
    {
        if (value < min || value > max)
        {
            throw new GraphFormatException(AbsolutePosition, $"integer {value} is outside the range of {typeName}");
        }
    }

    // Points at the first byte of the first ill-formed sequence, which is where a reader of the file would look.
    private readonly GraphFormatException InvalidUtf8(ReadOnlySpan<byte> utf8, int payloadStart)
    {
        int index = 0;
        while (index < utf8.Length && Rune.DecodeFromUtf8(utf8[index..], out _, out int consumed) == OperationStatus.Done)
        {
            index += consumed;
        }

        return new GraphFormatException(AbsoluteAt(payloadStart + index), "string is not valid UTF-8");
    }
}
