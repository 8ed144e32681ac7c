using System.Buffers;
using Graph.Serialization;
using MessagePack;
using static Graph.Tests.Serialization.BoundedReaders.BoundedReaderTestSupport;

namespace Graph.Tests.Serialization.BoundedReaders;

/// <summary>The two writes the .graph writer adds to the package's MessagePackWriter.</summary>
[TestClass]
public sealed class MessagePackWriterExtensionsTests
{
    [TestMethod]
    [DataRow(0)]
    [DataRow(255)]
    [DataRow(256)]
    [DataRow(65535)]
    [DataRow(65536)]
    public void BinaryHeader_IsThePackagesEncoding(int length)
    {
        byte[] ours = Write((ref MessagePackWriter w) => w.WriteBinaryHeader(length));
        byte[] package = Write((ref MessagePackWriter w) => w.WriteBinHeader(length));

        CollectionAssert.AreEqual(package, ours);
    }

    [TestMethod]
    public void BinaryHeader_NeverAsksTheOutputForThePayloadsRoom()
    {
        var output = new RecordingBufferWriter();
        var writer = new MessagePackWriter(output);
        writer.WriteBinaryHeader(64 << 20);
        writer.Flush();

        Assert.IsTrue(output.LargestHint <= 5, $"the header asked for a {output.LargestHint}-byte span");
    }

    [TestMethod]
    public void WriteString_RejectsALoneSurrogate()
    {
        Assert.Throws<ArgumentException>(() => Write((ref MessagePackWriter w) => w.WriteString("a\ud800b")));
    }

    [TestMethod]
    public void WriteString_IsUtf8InTheShortestForm()
    {
        CollectionAssert.AreEqual(Hex("a3 61 c3 a9"), Write((ref MessagePackWriter w) => w.WriteString("aé")));
        CollectionAssert.AreEqual(Hex("d9 20").Concat(Enumerable.Repeat((byte)'x', 32)).ToArray(), Write((ref MessagePackWriter w) => w.WriteString(new string('x', 32))));
    }

    // An output that hands out one large buffer and records the biggest span asked for.
    private sealed class RecordingBufferWriter : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();

        public int LargestHint { get; private set; }

        public void Advance(int count) => _inner.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            LargestHint = Math.Max(LargestHint, sizeHint);
            return _inner.GetMemory(sizeHint);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            LargestHint = Math.Max(LargestHint, sizeHint);
            return _inner.GetSpan(sizeHint);
        }
    }
}
