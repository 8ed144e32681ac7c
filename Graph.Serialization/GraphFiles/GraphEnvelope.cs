using System.Buffers;
using MessagePack;

namespace Graph.Serialization;

/// <summary>
/// The outer map of a <c>.graph</c> file: <c>{"format": "graph", "version": [major, minor], "content": bin,
/// "crc32c": uint}</c>. The content is itself MessagePack (the body) and the checksum covers its exact bytes.
/// </summary>
internal static class GraphEnvelope
{
    private static readonly string[] s_keys = [GraphKeys.Format, GraphKeys.Version, GraphKeys.Content, GraphKeys.Crc32C];
    private const int FormatKey = 0;
    private const int VersionKey = 1;
    private const int ContentKey = 2;
    private const int CrcKey = 3;

    /// <summary>Writes the envelope around <paramref name="content"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> content)
    {
        WriteHeader(output, content.Length);
        var writer = new MessagePackWriter(output);
        writer.WriteRaw(content);
        writer.Flush();
        WriteTrailer(output, Crc32C.Compute(content));
    }

    /// <summary>Writes everything before the content's bytes: the magic, the version and the content's binary header.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, int contentLength)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(4);
        writer.WriteString(GraphKeys.Format);
        writer.WriteString(GraphFormat.Magic);
        writer.WriteString(GraphKeys.Version);
        writer.WriteArrayHeader(2);
        writer.Write(GraphFormat.MajorVersion);
        writer.Write(GraphFormat.MinorVersion);
        writer.WriteString(GraphKeys.Content);
        writer.WriteBinaryHeader(contentLength);
        writer.Flush();
    }

    /// <summary>Writes everything after the content's bytes: their CRC-32C.</summary>
    public static void WriteTrailer(IBufferWriter<byte> output, uint crc)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteString(GraphKeys.Crc32C);
        writer.Write((ulong)crc);
        writer.Flush();
    }

    /// <summary>
    /// Checks the magic, the version and the checksum of <paramref name="file"/>, in that order, and returns
    /// where the content lies in it.
    /// </summary>
    /// <exception cref="GraphFormatException">The envelope is malformed, of another format or a newer major version, or the checksum fails.</exception>
    public static (Version Version, int ContentStart, int ContentLength) Read(ReadOnlyMemory<byte> file)
    {
        var reader = new BoundedReader(file);
        var fields = new MapFields(ref reader, s_keys, "the file's outer map");
        string? magic = null;
        long magicOffset = 0;
        int major = 0;
        int minor = 0;
        long versionOffset = 0;
        int contentStart = 0;
        int contentLength = 0;
        ulong crc = 0;
        long crcOffset = 0;
        int key;
        while ((key = fields.Next(ref reader)) >= 0)
        {
            switch (key)
            {
                case FormatKey:
                    magicOffset = reader.AbsolutePosition;
                    magic = reader.ReadString();
                    break;
                case VersionKey:
                    versionOffset = reader.AbsolutePosition;
                    (major, minor) = ReadVersion(ref reader);
                    break;
                case ContentKey:
                    ReadOnlySpan<byte> content = reader.ReadBinary();
                    contentLength = content.Length;
                    contentStart = reader.Position - contentLength;
                    break;
                default:
                    crcOffset = reader.AbsolutePosition;
                    crc = reader.ReadUInt64();
                    break;
            }
        }

        if (!reader.End)
        {
            throw new GraphFormatException(reader.AbsolutePosition, $"{reader.Remaining} bytes follow the file's outer map");
        }

        fields.Require(FormatKey);
        if (magic != GraphFormat.Magic)
        {
            throw new GraphFormatException(magicOffset, $"the format is '{magic}', not '{GraphFormat.Magic}'");
        }

        fields.Require(VersionKey);
        if (major != GraphFormat.MajorVersion)
        {
            string relation = major > GraphFormat.MajorVersion ? "newer than" : "not readable by";
            throw new GraphFormatException(versionOffset, $"the file is format version {major}.{minor}, {relation} this reader's {GraphFormat.VersionText}; use a Graph release that reads version {major}");
        }

        fields.Require(ContentKey, CrcKey);
        uint actual = Crc32C.Compute(file.Span.Slice(contentStart, contentLength));
        if (crc != actual)
        {
            throw new GraphFormatException(crcOffset, $"the content's CRC-32C is 0x{actual:x8} but the file records 0x{crc:x8}: the file is damaged");
        }

        return (new Version(major, minor), contentStart, contentLength);
    }

    private static (int Major, int Minor) ReadVersion(ref BoundedReader reader)
    {
        long offset = reader.AbsolutePosition;
        if (reader.ReadArrayHeader() != 2)
        {
            throw new GraphFormatException(offset, "the version is not [major, minor]");
        }

        long majorOffset = reader.AbsolutePosition;
        int major = reader.ReadInt32();
        int minor = reader.ReadInt32();
        if (major < 0 || minor < 0)
        {
            throw new GraphFormatException(majorOffset, $"the version {major}.{minor} is negative");
        }

        return (major, minor);
    }
}
