using System.Text;
using Graph.Serialization.MessagePack;
using static Graph.Tests.Serialization.MessagePack.MessagePackTestSupport;

namespace Graph.Tests.Serialization.MessagePack;

/// <summary>str and bin at every length boundary, byte for byte as the MessagePack specification lays them out.</summary>
[TestClass]
public sealed class MessagePackStringAndBinaryTests
{
    [TestMethod]
    [DataRow(0, "a0")]
    [DataRow(1, "a1")]
    [DataRow(31, "bf")]
    [DataRow(32, "d920")]
    [DataRow(255, "d9ff")]
    [DataRow(256, "da0100")]
    [DataRow(65535, "daffff")]
    [DataRow(65536, "db00010000")]
    public void String_HeaderIsShortestAndReadsBack(int length, string headerHex)
    {
        string value = MakeText(length);

        byte[] bytes = Write(w => w.WriteString(value));

        byte[] expected = [.. Hex(headerHex), .. Encoding.ASCII.GetBytes(value)];
        CollectionAssert.AreEqual(expected, bytes);
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.String, reader.PeekType());
        Assert.AreEqual(value, reader.ReadString());
        Assert.IsTrue(reader.End);
        reader = new MessagePackReader(bytes);
        CollectionAssert.AreEqual(Encoding.ASCII.GetBytes(value), reader.ReadStringSpan().ToArray());
        Assert.IsTrue(reader.End);
    }

    // The length in the header counts UTF-8 bytes, not UTF-16 chars.
    [TestMethod]
    [DataRow("é", "a2c3a9")]
    [DataRow("€", "a3e282ac")]
    [DataRow("😀", "a4f09f9880")]
    [DataRow("€€€€€€€€€€€", "d921e282ace282ace282ace282ace282ace282ace282ace282ace282ace282ace282ac")]
    public void String_IsUtf8AndCountsBytes(string value, string hex)
    {
        byte[] bytes = Write(w => w.WriteString(value));

        Assert.AreEqual(hex, ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(value, reader.ReadString());
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    public void WriteString_RejectsLoneSurrogate()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);

        Assert.ThrowsExactly<EncoderFallbackException>(() => writer.WriteString("a\ud800b"));
    }

    [TestMethod]
    [DataRow(0, "c400")]
    [DataRow(1, "c401")]
    [DataRow(255, "c4ff")]
    [DataRow(256, "c50100")]
    [DataRow(65535, "c5ffff")]
    [DataRow(65536, "c600010000")]
    public void Binary_HeaderIsShortestAndReadsBackWithoutCopy(int length, string headerHex)
    {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++)
        {
            value[i] = (byte)(i * 7);
        }

        byte[] bytes = Write(w => w.WriteBinary(value));

        byte[] expected = [.. Hex(headerHex), .. value];
        CollectionAssert.AreEqual(expected, bytes);
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.Binary, reader.PeekType());
        ReadOnlySpan<byte> read = reader.ReadBinary();
        Assert.IsTrue(read.SequenceEqual(value));
        Assert.IsTrue(reader.End);

        if (length > 0)
        {
            // A slice of the input, not a copy.
            Assert.IsTrue(bytes.AsSpan().Overlaps(read, out int offset));
            Assert.AreEqual(headerHex.Length / 2, offset);
        }
    }

    private static string MakeText(int length) => string.Create(length, 0, static (span, _) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + (i % 26));
        }
    });
}
