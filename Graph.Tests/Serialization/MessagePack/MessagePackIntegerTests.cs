using Graph.Serialization.MessagePack;
using static Graph.Tests.Serialization.MessagePack.MessagePackTestSupport;

namespace Graph.Tests.Serialization.MessagePack;

/// <summary>Integers at every format boundary, byte for byte as the MessagePack specification lays them out.</summary>
[TestClass]
public sealed class MessagePackIntegerTests
{
    [TestMethod]
    [DataRow(0L, "00")]
    [DataRow(1L, "01")]
    [DataRow(127L, "7f")]
    [DataRow(128L, "cc80")]
    [DataRow(255L, "ccff")]
    [DataRow(256L, "cd0100")]
    [DataRow(65535L, "cdffff")]
    [DataRow(65536L, "ce00010000")]
    [DataRow(4294967295L, "ceffffffff")]
    [DataRow(4294967296L, "cf0000000100000000")]
    [DataRow(long.MaxValue, "cf7fffffffffffffff")]
    [DataRow(-1L, "ff")]
    [DataRow(-32L, "e0")]
    [DataRow(-33L, "d0df")]
    [DataRow(-128L, "d080")]
    [DataRow(-129L, "d1ff7f")]
    [DataRow(-32768L, "d18000")]
    [DataRow(-32769L, "d2ffff7fff")]
    [DataRow(-2147483648L, "d280000000")]
    [DataRow(-2147483649L, "d3ffffffff7fffffff")]
    [DataRow(long.MinValue, "d38000000000000000")]
    public void Int64_WritesShortestFormAndReadsBack(long value, string hex)
    {
        byte[] bytes = Write(w => w.Write(value));

        Assert.AreEqual(hex, ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(MessagePackType.Integer, reader.PeekType());
        Assert.AreEqual(value, reader.ReadInt64());
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    [DataRow(0UL, "00")]
    [DataRow(127UL, "7f")]
    [DataRow(128UL, "cc80")]
    [DataRow(255UL, "ccff")]
    [DataRow(256UL, "cd0100")]
    [DataRow(65535UL, "cdffff")]
    [DataRow(65536UL, "ce00010000")]
    [DataRow(4294967295UL, "ceffffffff")]
    [DataRow(4294967296UL, "cf0000000100000000")]
    [DataRow(9223372036854775807UL, "cf7fffffffffffffff")]
    [DataRow(9223372036854775808UL, "cf8000000000000000")]
    [DataRow(ulong.MaxValue, "cfffffffffffffffff")]
    public void UInt64_WritesShortestFormAndReadsBack(ulong value, string hex)
    {
        byte[] bytes = Write(w => w.Write(value));

        Assert.AreEqual(hex, ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(value, reader.ReadUInt64());
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    [DataRow(0, "00")]
    [DataRow(127, "7f")]
    [DataRow(128, "cc80")]
    [DataRow(-33, "d0df")]
    [DataRow(int.MaxValue, "ce7fffffff")]
    [DataRow(int.MinValue, "d280000000")]
    public void Int32_WritesShortestFormAndReadsBack(int value, string hex)
    {
        byte[] bytes = Write(w => w.Write(value));

        Assert.AreEqual(hex, ToHex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.AreEqual(value, reader.ReadInt32());
        Assert.IsTrue(reader.End);
    }

    // Other writers are free to pick a longer form than ours; the reader must accept every form that fits.
    [TestMethod]
    [DataRow("d001", 1L)]
    [DataRow("cc05", 5L)]
    [DataRow("cd0005", 5L)]
    [DataRow("d1fffe", -2L)]
    [DataRow("d2fffffffd", -3L)]
    [DataRow("d3fffffffffffffffc", -4L)]
    [DataRow("cf0000000000000007", 7L)]
    [DataRow("d37fffffffffffffff", long.MaxValue)]
    public void ReadInt64_AcceptsNonShortestForms(string hex, long expected)
    {
        var reader = new MessagePackReader(Hex(hex));

        Assert.AreEqual(expected, reader.ReadInt64());
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    [DataRow("cf8000000000000000", "Int64")]
    [DataRow("cfffffffffffffffff", "Int64")]
    [DataRow("ff", "UInt64")]
    [DataRow("d38000000000000000", "UInt64")]
    [DataRow("ce80000000", "Int32")]
    [DataRow("d2ffffffff", "UInt64")]
    [DataRow("d37fffffffffffffff", "Int32")]
    [DataRow("d3ffffffff7fffffff", "Int32")]
    public void IntegerOutOfRange_ThrowsAtTheValue(string hex, string kind)
    {
        byte[] bytes = [0x01, .. Hex(hex)];

        var ex = ReadThrows(bytes, (ref MessagePackReader r) => ReadAs(ref r, kind), baseOffset: 500, skipValues: 1);

        Assert.AreEqual(501, ex.Offset);
        Assert.Contains("outside the range of " + kind, ex.Reason);
    }
}
