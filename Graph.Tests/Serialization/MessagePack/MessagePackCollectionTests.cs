using Graph.Serialization.MessagePack;
using static Graph.Tests.Serialization.MessagePack.MessagePackTestSupport;

namespace Graph.Tests.Serialization.MessagePack;

/// <summary>Array and map headers at every count boundary, byte for byte as the MessagePack specification lays them out.</summary>
[TestClass]
public sealed class MessagePackCollectionTests
{
    [TestMethod]
    [DataRow(0, "90")]
    [DataRow(1, "91")]
    [DataRow(15, "9f")]
    [DataRow(16, "dc0010")]
    [DataRow(65535, "dcffff")]
    [DataRow(65536, "dd00010000")]
    public void ArrayHeader_IsShortestAndReadsBack(int count, string hex)
    {
        byte[] header = Write(w => w.WriteArrayHeader(count));
        Assert.AreEqual(hex, ToHex(header));

        // The reader only believes a count the remaining bytes can hold, so give it the elements too.
        byte[] bytes = WithNils(header, count);
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.Array, reader.PeekType());
        Assert.AreEqual(count, reader.ReadArrayHeader());
        Assert.AreEqual(header.Length, reader.Position);
    }

    [TestMethod]
    [DataRow(0, "80")]
    [DataRow(1, "81")]
    [DataRow(15, "8f")]
    [DataRow(16, "de0010")]
    [DataRow(65535, "deffff")]
    [DataRow(65536, "df00010000")]
    public void MapHeader_IsShortestAndReadsBack(int count, string hex)
    {
        byte[] header = Write(w => w.WriteMapHeader(count));
        Assert.AreEqual(hex, ToHex(header));

        byte[] bytes = WithNils(header, 2 * count);
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.Map, reader.PeekType());
        Assert.AreEqual(count, reader.ReadMapHeader());
        Assert.AreEqual(header.Length, reader.Position);
    }

    [TestMethod]
    public void NestedValues_MatchTheSpecExample()
    {
        // {"compact": true, "schema": 0}, the example on msgpack.org.
        byte[] bytes = Write(w =>
        {
            w.WriteMapHeader(2);
            w.WriteString("compact");
            w.Write(true);
            w.WriteString("schema");
            w.Write(0);
        });

        Assert.AreEqual("82a7636f6d70616374c3a6736368656d6100", ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(2, reader.ReadMapHeader());
        Assert.AreEqual("compact", reader.ReadString());
        Assert.IsTrue(reader.ReadBoolean());
        Assert.AreEqual("schema", reader.ReadString());
        Assert.AreEqual(0, reader.ReadInt32());
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    public void NegativeCount_IsACallerBug()
    {
        var writer = new MessagePackWriter(new System.Buffers.ArrayBufferWriter<byte>());

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => writer.WriteArrayHeader(-1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => writer.WriteMapHeader(-1));
    }

    private static byte[] WithNils(byte[] header, int nilCount)
    {
        byte[] bytes = new byte[header.Length + nilCount];
        header.CopyTo(bytes, 0);
        bytes.AsSpan(header.Length).Fill(0xc0);
        return bytes;
    }
}
