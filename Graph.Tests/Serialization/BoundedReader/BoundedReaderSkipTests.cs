using Graph.Serialization;
using MessagePack;
using static Graph.Tests.Serialization.BoundedReaders.BoundedReaderTestSupport;

namespace Graph.Tests.Serialization.BoundedReaders;

/// <summary>Skip steps over exactly one value of any family, and refuses hostile nesting without recursing.</summary>
[TestClass]
public sealed class BoundedReaderSkipTests
{
    [TestMethod]
    [DataRow("00")]
    [DataRow("7f")]
    [DataRow("e0")]
    [DataRow("ff")]
    [DataRow("c0")]
    [DataRow("c2")]
    [DataRow("c3")]
    [DataRow("cc80")]
    [DataRow("cd0100")]
    [DataRow("ce00010000")]
    [DataRow("cf0000000100000000")]
    [DataRow("d0df")]
    [DataRow("d1ff7f")]
    [DataRow("d2ffff7fff")]
    [DataRow("d38000000000000000")]
    [DataRow("ca3fc00000")]
    [DataRow("cb3ff8000000000000")]
    [DataRow("a0")]
    [DataRow("a3616263")]
    [DataRow("d903616263")]
    [DataRow("da0003616263")]
    [DataRow("db00000003616263")]
    [DataRow("c400")]
    [DataRow("c403010203")]
    [DataRow("c50003010203")]
    [DataRow("c600000003010203")]
    [DataRow("d40105")] // fixext1: type, 1 byte
    [DataRow("d5ff0506")] // fixext2 with a negative (reserved) type
    [DataRow("d60101020304")] // fixext4
    [DataRow("d7010102030405060708")] // fixext8
    [DataRow("d801000102030405060708090a0b0c0d0e0f")] // fixext16
    [DataRow("c70001")] // ext8, empty
    [DataRow("c702010102")] // ext8: length, type, data
    [DataRow("c80002010102")] // ext16
    [DataRow("c90000000201c102")] // ext32; 0xc1 inside a payload is just data
    [DataRow("90")]
    [DataRow("93010203")]
    [DataRow("dc0002c0c0")]
    [DataRow("dd00000002c0c0")]
    [DataRow("80")]
    [DataRow("82a161c0a162c3")]
    [DataRow("de0001c0c0")]
    [DataRow("df00000001c0c0")]
    [DataRow("9291c092c0c3")] // [[nil], [nil, true]]
    [DataRow("81a16192c081c0c0")] // {"a": [nil, {nil: nil}]}
    [DataRow("92d40105c9000000020101ff")] // extensions inside an array
    public void Skip_StepsOverExactlyOneValue(string hex)
    {
        byte[] bytes = Hex(hex + "2a");
        var reader = new BoundedReader(bytes);

        reader.Skip();

        Assert.AreEqual(bytes.Length - 1, reader.Position);
        Assert.AreEqual(42, reader.ReadInt32());
    }

    [TestMethod]
    public void PeekType_NamesExtensions()
    {
        Assert.AreEqual(MessagePackType.Extension, new BoundedReader(Hex("d40105")).PeekType());
        Assert.AreEqual(MessagePackType.Extension, new BoundedReader(Hex("c70001")).PeekType());
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(BoundedReader.MaxDepth)]
    public void NestingUpToMaxDepth_IsSkipped(int depth)
    {
        byte[] arrays = NestedArrays(depth);
        byte[] maps = NestedMaps(depth);

        var reader = new BoundedReader(arrays);
        reader.Skip();
        Assert.IsTrue(reader.End);
        reader = new BoundedReader(maps);
        reader.Skip();
        Assert.IsTrue(reader.End);
    }

    [TestMethod]
    public void NestingBeyondMaxDepth_ThrowsAtTheContainerTooDeep()
    {
        int depth = BoundedReader.MaxDepth + 1;

        var arrays = ReadThrows(NestedArrays(depth), (ref BoundedReader r) => r.Skip(), baseOffset: 10);
        var maps = ReadThrows(NestedMaps(depth), (ref BoundedReader r) => r.Skip(), baseOffset: 10);

        Assert.AreEqual(10 + BoundedReader.MaxDepth, arrays.Offset);
        Assert.AreEqual(10 + (2 * BoundedReader.MaxDepth), maps.Offset);
        Assert.Contains("nested more than 64 deep", arrays.Reason);
    }

    // A million nested one-element arrays: a recursive skipper would overflow the stack and kill the process.
    [TestMethod]
    public void HostileNesting_ThrowsInsteadOfOverflowingTheStack()
    {
        byte[] bytes = new byte[1_000_000];
        bytes.AsSpan().Fill(0x91);

        var ex = ReadThrows(bytes, (ref BoundedReader r) => r.Skip());

        Assert.AreEqual(BoundedReader.MaxDepth, ex.Offset);
    }

    // [[[...[]...]]]: depth arrays, the innermost empty.
    private static byte[] NestedArrays(int depth)
    {
        byte[] bytes = new byte[depth];
        bytes.AsSpan().Fill(0x91);
        bytes[^1] = 0x90;
        return bytes;
    }

    // {nil: {nil: ... {} ...}}: depth maps, the innermost empty.
    private static byte[] NestedMaps(int depth)
    {
        byte[] bytes = new byte[(2 * depth) - 1];
        for (int i = 0; i < depth - 1; i++)
        {
            bytes[2 * i] = 0x81;
            bytes[(2 * i) + 1] = 0xc0;
        }

        bytes[^1] = 0x80;
        return bytes;
    }
}
