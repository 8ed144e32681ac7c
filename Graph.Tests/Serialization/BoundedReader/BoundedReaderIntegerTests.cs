using Graph.Serialization;
using MessagePack;
using static Graph.Tests.Serialization.BoundedReaders.BoundedReaderTestSupport;

namespace Graph.Tests.Serialization.BoundedReaders;

/// <summary>Integers are read by value whatever width they were written in, and refused, at the value, outside the range asked for.</summary>
[TestClass]
public sealed class BoundedReaderIntegerTests
{
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
        var reader = new BoundedReader(Hex(hex));

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

        var ex = ReadThrows(bytes, (ref BoundedReader r) => ReadAs(ref r, kind), baseOffset: 500, skipValues: 1);

        Assert.AreEqual(501, ex.Offset);
        Assert.Contains("outside the range of " + kind, ex.Reason);
    }
}
