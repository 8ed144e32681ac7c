using System.Buffers;
using Graph.Serialization;
using MessagePack;

namespace Graph.Tests.Serialization.BoundedReaders;

/// <summary>A read against a reader, as a lambda: readers are ref structs, so lambdas take them by reference instead of capturing them.</summary>
internal delegate void ReadAction(ref BoundedReader reader);

/// <summary>A write against the package's writer, which is a ref struct too.</summary>
internal delegate void WriteAction(ref MessagePackWriter writer);

internal static class BoundedReaderTestSupport
{
    /// <summary>The bytes <paramref name="write"/> produces on a fresh writer.</summary>
    public static byte[] Write(WriteAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>
    /// Runs <paramref name="read"/> on a reader over <paramref name="bytes"/> and returns the <see cref="GraphFormatException"/>
    /// it must throw, after first skipping <paramref name="skipValues"/> values. Any other exception escapes and fails
    /// the test; so does a read that succeeds or, when <paramref name="atomic"/>, a reader whose position moved.
    /// </summary>
    public static GraphFormatException ReadThrows(byte[] bytes, ReadAction read, long baseOffset = 0, int skipValues = 0, bool atomic = true)
    {
        var reader = new BoundedReader(bytes, baseOffset);
        for (int i = 0; i < skipValues; i++)
        {
            reader.Skip();
        }

        int before = reader.Position;
        try
        {
            read(ref reader);
        }
        catch (GraphFormatException ex)
        {
            if (atomic)
            {
                Assert.AreEqual(before, reader.Position, "a failed read must not move the reader");
            }

            return ex;
        }

        Assert.Fail($"Reading {ToHex(bytes)} should have thrown GraphFormatException.");
        return null!;
    }

    /// <summary>The typed read named <paramref name="kind"/>, so data rows can name which read to run.</summary>
    public static void ReadAs(ref BoundedReader reader, string kind)
    {
        switch (kind)
        {
            case "Nil": reader.ReadNil(); break;
            case "Boolean": reader.ReadBoolean(); break;
            case "Int64": reader.ReadInt64(); break;
            case "UInt64": reader.ReadUInt64(); break;
            case "Int32": reader.ReadInt32(); break;
            case "Double": reader.ReadDouble(); break;
            case "String": reader.ReadString(); break;
            case "Binary": reader.ReadBinary(); break;
            case "Array": reader.ReadArrayHeader(); break;
            case "Map": reader.ReadMapHeader(); break;
            case "Skip": reader.Skip(); break;
            case "Peek": reader.PeekType(); break;
            default: throw new ArgumentException($"Unknown read '{kind}'.", nameof(kind));
        }
    }
}
