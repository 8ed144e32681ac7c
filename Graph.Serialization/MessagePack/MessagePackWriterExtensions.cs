using System.Buffers.Binary;
using System.Text;
using MessagePack;

namespace Graph.Serialization;

/// <summary>
/// The two writes a <c>.graph</c> file needs beyond the package's <see cref="MessagePackWriter"/>, both in the
/// shortest encoding the package picks (fixstr, str8/16/32; bin8/16/32), so files stay byte-identical.
/// </summary>
internal static class MessagePackWriterExtensions
{
    // Lone surrogates cannot be represented in UTF-8; the package would write U+FFFD in their place, and a name
    // that loads back different from the one saved is worse than a loud failure at save time.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="value"/> as a UTF-8 string.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> holds a lone surrogate, which UTF-8 cannot encode.</exception>
    public static void WriteString(this ref MessagePackWriter writer, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _ = s_strictUtf8.GetByteCount(value); // throws on a lone surrogate before anything is written
        writer.Write(value);
    }

    /// <summary>Writes <paramref name="value"/> as binary: <see cref="WriteBinaryHeader"/>, then the bytes.</summary>
    public static void WriteBinary(this ref MessagePackWriter writer, ReadOnlySpan<byte> value)
    {
        writer.WriteBinaryHeader(value.Length);
        writer.WriteRaw(value); // copied in pieces of the output's buffer
    }

    /// <summary>
    /// Writes the header of a binary of <paramref name="length"/> bytes, the shortest of bin8, bin16 and bin32; the
    /// caller writes exactly that many bytes next with <see cref="MessagePackWriter.WriteRaw(ReadOnlySpan{byte})"/>.
    /// </summary>
    /// <remarks>
    /// Not the package's <c>WriteBinHeader</c>: that one asks its output for a span large enough for the header and
    /// the whole payload at once, so a streamed save would allocate a buffer as large as its largest tensor.
    /// </remarks>
    public static void WriteBinaryHeader(this ref MessagePackWriter writer, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Span<byte> span = writer.GetSpan(5);
        int written;
        if (length <= byte.MaxValue)
        {
            span[0] = MessagePackCode.Bin8;
            span[1] = (byte)length;
            written = 2;
        }
        else if (length <= ushort.MaxValue)
        {
            span[0] = MessagePackCode.Bin16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            written = 3;
        }
        else
        {
            span[0] = MessagePackCode.Bin32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            written = 5;
        }

        writer.Advance(written);
    }
}
