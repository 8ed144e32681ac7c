using Graph.Serialization;
using MessagePack;
using static Graph.Tests.Serialization.BoundedReaders.BoundedReaderTestSupport;

namespace Graph.Tests.Serialization.BoundedReaders;

/// <summary>Malformed input: every defect is a <see cref="GraphFormatException"/> at the absolute offset of the offending byte.</summary>
[TestClass]
public sealed class BoundedReaderErrorTests
{
    // Each case sits after a one-byte nil at absolute offset 1000, so the offending byte is at 1001.
    private const long BaseOffset = 1000;

    private static readonly string[] s_allReads =
        ["Nil", "Boolean", "Int64", "UInt64", "Int32", "Double", "String", "Binary", "Array", "Map", "Skip", "Peek"];

    [TestMethod]
    [DataRow("String", "93010203", "expected a string, found array (0x93)")]
    [DataRow("String", "c403010203", "expected a string, found binary (0xc4)")]
    [DataRow("Binary", "a3616263", "expected binary, found string (0xa3)")]
    [DataRow("Nil", "c3", "expected nil, found boolean (0xc3)")]
    [DataRow("Boolean", "c0", "expected a boolean, found nil (0xc0)")]
    [DataRow("Int64", "ca3fc00000", "expected an integer, found float32 (0xca)")]
    [DataRow("UInt64", "a0", "expected an integer, found string (0xa0)")]
    [DataRow("Int32", "c2", "expected an integer, found boolean (0xc2)")]
    [DataRow("Int32", "d40100", "expected an integer, found extension (0xd4)")]
    [DataRow("Double", "01", "expected a float, found integer (0x01)")]
    [DataRow("Double", "d0ff", "expected a float, found integer (0xd0)")]
    [DataRow("Array", "80", "expected an array, found map (0x80)")]
    [DataRow("Map", "90", "expected a map, found array (0x90)")]
    public void WrongType_NamesExpectedAndFound(string kind, string hex, string reason)
    {
        var ex = ReadThrows(Hex("c0" + hex), (ref BoundedReader r) => ReadAs(ref r, kind), BaseOffset, skipValues: 1);

        Assert.AreEqual(1001, ex.Offset);
        Assert.AreEqual(reason, ex.Reason);
        Assert.AreEqual($"Invalid .graph file at byte 1001: {reason}", ex.Message);
    }

    [TestMethod]
    public void ReservedByte_IsRejectedByEveryRead()
    {
        foreach (string kind in s_allReads)
        {
            var ex = ReadThrows(Hex("c0c1"), (ref BoundedReader r) => ReadAs(ref r, kind), BaseOffset, skipValues: 1);

            Assert.AreEqual(1001, ex.Offset, kind);
            Assert.Contains("reserved byte (0xc1)", ex.Reason, kind);
        }
    }

    [TestMethod]
    public void EndOfData_IsReportedAtTheEnd()
    {
        foreach (string kind in s_allReads)
        {
            var ex = ReadThrows(Hex("c0"), (ref BoundedReader r) => ReadAs(ref r, kind), BaseOffset, skipValues: 1);

            Assert.AreEqual(1001, ex.Offset, kind);
            Assert.StartsWith("unexpected end of data", ex.Reason, kind);
        }
    }

    [TestMethod]
    public void TruncationAtEveryByteOfACompositeValue_IsAFormatError()
    {
        byte[] bytes = CompositeValue();
        AssertReadsFully(bytes);

        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] truncated = bytes[..length];
            var skip = ReadThrows(truncated, (ref BoundedReader r) => r.Skip(), BaseOffset);
            var walk = ReadThrows(truncated, (ref BoundedReader r) => ReadComposite(ref r), BaseOffset, atomic: false);

            Assert.IsTrue(skip.Offset >= BaseOffset && skip.Offset <= BaseOffset + length, $"Skip at length {length}: {skip.Message}");
            Assert.IsTrue(walk.Offset >= BaseOffset && walk.Offset <= BaseOffset + length, $"Walk at length {length}: {walk.Message}");
        }
    }

    // A declared length of 4 GB on a ten-byte input must fail on the header, before any allocation or slicing.
    [TestMethod]
    [DataRow("String", "dbffffffff6162636465", "declares 4294967295 bytes")]
    [DataRow("Binary", "c6ffffffff0102030405", "declares 4294967295 bytes")]
    [DataRow("Array", "ddffffffffc0c0c0c0c0", "declares 4294967295 values")]
    [DataRow("Map", "dfffffffffc0c0c0c0c0", "declares 8589934590 values")]
    [DataRow("Skip", "c9ffffffff0102030405", "declares 4294967295 bytes")]
    [DataRow("Skip", "ddffffffffc0c0c0c0c0", "declares 4294967295 values")]
    [DataRow("Skip", "91dbffffffff61626364", "declares 4294967295 bytes")]
    public void HugeDeclaredLength_ThrowsWithoutAllocating(string kind, string hex, string reason)
    {
        byte[] bytes = Hex(hex);

        // Warm up so JIT and first-call costs are not counted below.
        ReadThrows(bytes, (ref BoundedReader r) => ReadAs(ref r, kind));

        GraphFormatException? caught = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var reader = new BoundedReader(bytes);
            ReadAs(ref reader, kind);
        }
        catch (GraphFormatException ex)
        {
            caught = ex;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.IsNotNull(caught);
        Assert.Contains(reason, caught.Reason);
        Assert.IsTrue(allocated < 10_000, $"Rejecting the input allocated {allocated} bytes.");
    }

    [TestMethod]
    [DataRow("a361ff62", 2)] // 0xff never appears in UTF-8
    [DataRow("a2c080", 1)] // overlong encoding of U+0000
    [DataRow("a3eda080", 1)] // encoded surrogate U+D800
    [DataRow("a4f4908080", 1)] // above U+10FFFF
    [DataRow("a361e282", 2)] // sequence cut short by the end of the string
    [DataRow("d9026180", 3)] // lone continuation byte
    public void InvalidUtf8_ThrowsAtTheFirstBadByte(string hex, int offset)
    {
        byte[] bytes = Hex(hex);

        var fromString = ReadThrows(bytes, (ref BoundedReader r) => r.ReadString(), baseOffset: 100);

        Assert.AreEqual(100 + offset, fromString.Offset);
        Assert.AreEqual("string is not valid UTF-8", fromString.Reason);
    }

    [TestMethod]
    [DataRow("Array", "dc0005c0c0", false)]
    [DataRow("Array", "93c0c0", false)]
    [DataRow("Array", "93c0c0c0", true)]
    [DataRow("Map", "82c0c0c0", false)]
    [DataRow("Map", "82c0c0c0c0", true)]
    public void CollectionCount_MustFitTheRemainingBytes(string kind, string hex, bool fits)
    {
        byte[] bytes = Hex(hex);
        if (fits)
        {
            var reader = new BoundedReader(bytes);
            ReadAs(ref reader, kind);
            Assert.AreEqual(1, reader.Position);
            return;
        }

        var ex = ReadThrows(bytes, (ref BoundedReader r) => ReadAs(ref r, kind), BaseOffset);

        Assert.AreEqual(BaseOffset, ex.Offset);
        Assert.Contains("values but only", ex.Reason);
    }

    [TestMethod]
    [DataRow("cd01", "needs 3 bytes but only 2 remain")]
    [DataRow("cb3ff8", "needs 9 bytes but only 3 remain")]
    [DataRow("d9", "needs a 1-byte length but only 0 bytes remain")]
    [DataRow("c5ff", "needs a 2-byte length but only 1 bytes remain")]
    [DataRow("c700", "needs 3 bytes but only 2 remain")]
    [DataRow("c70101", "declares 1 bytes but only 0 remain after its header")]
    [DataRow("d501ff", "needs 4 bytes but only 3 remain")]
    [DataRow("a26c", "declares 2 bytes but only 1 remain after its header")]
    public void TruncatedValue_IsReportedAtItsTypeByte(string hex, string reason)
    {
        var ex = ReadThrows(Hex("c0" + hex), (ref BoundedReader r) => r.Skip(), BaseOffset, skipValues: 1);

        Assert.AreEqual(1001, ex.Offset);
        Assert.EndsWith(reason, ex.Reason);
    }

    [TestMethod]
    public void NegativeBaseOffset_IsACallerBug()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new BoundedReader(Array.Empty<byte>(), -1));
    }

    [TestMethod]
    public void GraphFormatException_CarriesOffsetReasonAndCause()
    {
        var cause = new InvalidOperationException("inner");

        var ex = new GraphFormatException(42, "something is off", cause);

        Assert.AreEqual(42, ex.Offset);
        Assert.AreEqual("something is off", ex.Reason);
        Assert.AreEqual("Invalid .graph file at byte 42: something is off", ex.Message);
        Assert.AreSame(cause, ex.InnerException);
        Assert.IsNull(new GraphFormatException(0, "x").InnerException);
    }

    // One value of every family but extension (which the writer does not produce), nested two deep.
    private static byte[] CompositeValue() => Write((ref MessagePackWriter w) =>
    {
        w.WriteArrayHeader(16);
        w.WriteNil();
        w.Write(true);
        w.Write(-1);
        w.Write(200);
        w.Write(70000);
        w.Write(-40000);
        w.Write(long.MinValue);
        w.Write(ulong.MaxValue);
        w.Write(1.5f);
        w.Write(2.5);
        w.WriteString("héllo");
        w.WriteString(new string('x', 40));
        w.WriteBinary([1, 2, 3]);
        w.WriteMapHeader(1);
        w.WriteString("k");
        w.WriteArrayHeader(2);
        w.Write(1);
        w.Write(2);
        w.WriteArrayHeader(0);
        w.WriteMapHeader(0);
    });

    private static void ReadComposite(ref BoundedReader r)
    {
        Assert.AreEqual(16, r.ReadArrayHeader());
        r.ReadNil();
        Assert.IsTrue(r.ReadBoolean());
        Assert.AreEqual(-1, r.ReadInt32());
        Assert.AreEqual(200UL, r.ReadUInt64());
        Assert.AreEqual(70000, r.ReadInt64());
        Assert.AreEqual(-40000, r.ReadInt32());
        Assert.AreEqual(long.MinValue, r.ReadInt64());
        Assert.AreEqual(ulong.MaxValue, r.ReadUInt64());
        Assert.AreEqual(1.5, r.ReadDouble());
        Assert.AreEqual(2.5, r.ReadDouble());
        Assert.AreEqual("héllo", r.ReadString());
        Assert.AreEqual(40, r.ReadString().Length);
        Assert.AreEqual(3, r.ReadBinary().Length);
        Assert.AreEqual(1, r.ReadMapHeader());
        Assert.AreEqual("k", r.ReadString());
        Assert.AreEqual(2, r.ReadArrayHeader());
        Assert.AreEqual(1, r.ReadInt32());
        Assert.AreEqual(2, r.ReadInt32());
        Assert.AreEqual(0, r.ReadArrayHeader());
        Assert.AreEqual(0, r.ReadMapHeader());
    }

    private static void AssertReadsFully(byte[] bytes)
    {
        var reader = new BoundedReader(bytes);
        ReadComposite(ref reader);
        Assert.IsTrue(reader.End);
        reader = new BoundedReader(bytes);
        reader.Skip();
        Assert.IsTrue(reader.End);
    }
}
