using System.Buffers.Binary;
using Graph.Core;
using Graph.Data;

namespace Graph.Tests.Data;

[TestClass]
public sealed class IdxReaderTests
{
    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("graph-idx-").FullName;
    }

    [TestCleanup]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [TestMethod]
    public void PlainAndGzippedUnsignedBytesDecode()
    {
        byte[] file = IdxFiles.UnsignedBytes([2, 3, 2], [.. Enumerable.Range(0, 12).Select(i => (byte)(i * 20))]);

        foreach (byte[] bytes in new[] { file, IdxFiles.Gzip(file) })
        {
            IdxArray array = IdxReader.Read(Write("images", bytes));

            Assert.AreEqual(IdxElementType.UnsignedByte, array.ElementType);
            Assert.AreEqual(new Shape(2, 3, 2), array.Shape);
            Assert.AreEqual(12, array.ElementCount);
            CollectionAssert.AreEqual(Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray(), array.AsSpan<byte>().ToArray());
        }
    }

    [TestMethod]
    public void MultiByteTypesAreReadBigEndian()
    {
        Assert.AreEqual((short)-2, IdxReader.Read(Write("s", IdxFiles.Build(0x0B, [1], [0xFF, 0xFE]))).AsSpan<short>()[0]);
        Assert.AreEqual(0x01020304, IdxReader.Read(Write("i", IdxFiles.Build(0x0C, [1], [1, 2, 3, 4]))).AsSpan<int>()[0]);
        Assert.AreEqual(-1.5f, IdxReader.Read(Write("f", IdxFiles.Build(0x0D, [1], [0xBF, 0xC0, 0, 0]))).AsSpan<float>()[0]);
        Assert.AreEqual(0.1, IdxReader.Read(Write("d", IdxFiles.Build(0x0E, [1], [0x3F, 0xB9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A]))).AsSpan<double>()[0]);
        Assert.AreEqual((sbyte)-128, IdxReader.Read(Write("b", IdxFiles.Build(0x09, [1], [0x80]))).AsSpan<sbyte>()[0]);
    }

    [TestMethod]
    public void AsSpanOfTheWrongTypeIsRejected()
    {
        IdxArray array = IdxReader.Read(Write("u", IdxFiles.UnsignedBytes([1], 5)));

        Assert.ThrowsExactly<InvalidOperationException>(() => array.AsSpan<sbyte>().ToArray());
    }

    [TestMethod]
    public void EveryTruncationOfAPlainFileIsAFormatError()
    {
        byte[] whole = IdxFiles.UnsignedBytes([2, 2], 1, 2, 3, 4);

        for (int length = 0; length < whole.Length; length++)
        {
            string path = Write("cut", whole[..length]);
            IdxFormatException e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(path), $"length {length}");
            StringAssert.Contains(e.Message, "truncated", $"length {length}");
        }
    }

    [TestMethod]
    public void EveryTruncationOfAGzippedFileIsAFormatError()
    {
        byte[] whole = IdxFiles.Gzip(IdxFiles.UnsignedBytes([3, 2], 1, 2, 3, 4, 5, 6));

        // From 2 bytes on the file is recognised as gzip; shorter ones fail as plain IDX files.
        for (int length = 0; length < whole.Length; length++)
        {
            string path = Write("cut.gz", whole[..length]);
            Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(path), $"length {length}");
        }

        Assert.AreEqual(6, IdxReader.Read(Write("whole.gz", whole)).ElementCount);
    }

    [TestMethod]
    public void WrongMagicIsRejected()
    {
        byte[] bytes = IdxFiles.UnsignedBytes([1], 7);
        bytes[1] = 0x42;

        IdxFormatException e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(Write("magic", bytes)));

        StringAssert.Contains(e.Message, "magic number starts 00 42");
        StringAssert.Contains(e.Message, "magic");
        Assert.AreEqual(Path.Combine(_directory, "magic"), e.FilePath);
    }

    [TestMethod]
    public void UnknownTypeCodeIsRejected()
    {
        IdxFormatException e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(Write("type", IdxFiles.Build(0x0A, [1], [0]))));

        StringAssert.Contains(e.Reason, "type code 0x0A is unknown");
    }

    [TestMethod]
    public void BadDimensionCountsAndSizesAreRejected()
    {
        StringAssert.Contains(ReadError(IdxFiles.Build(0x08, [], [])), "declares 0 dimensions");
        StringAssert.Contains(ReadError(IdxFiles.Build(0x08, [1, 1, 1, 1, 1], [0])), "declares 5 dimensions");
        StringAssert.Contains(ReadError(IdxFiles.Build(0x08, [2, 0], [])), "dimension 1 is 0");
        StringAssert.Contains(ReadError(IdxFiles.Build(0x08, [-3], [])), "dimension 0 is -3");
    }

    [TestMethod]
    public void DimensionsThatDisagreeWithTheDataAreRejected()
    {
        StringAssert.Contains(ReadError(IdxFiles.UnsignedBytes([2, 3], 1, 2, 3, 4, 5)), "need 6 data bytes, but the file has 5");
        StringAssert.Contains(ReadError(IdxFiles.Build(0x0C, [2], [0, 0, 0, 1, 0, 0, 0])), "need 8 data bytes, but the file has 7");
    }

    [TestMethod]
    public void HugeDeclaredSizesAreRejectedWithoutAllocating()
    {
        byte[] plain = IdxFiles.Build(0x0E, [65536, 65536, 65536], []);

        StringAssert.Contains(ReadError(plain), "more than 1073741824 bytes");
        StringAssert.Contains(ReadError(IdxFiles.Gzip(plain)), "more than 1073741824 bytes");

        // Under the limit but far beyond the file: refused from the file length before any allocation.
        StringAssert.Contains(ReadError(IdxFiles.Build(0x08, [1 << 29], [1, 2])), "need 536870912 data bytes, but the file has 2");
    }

    [TestMethod]
    public void GzippedFileDeclaringMoreThanItCanHold_IsRefusedWithoutAllocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();

        string reason = ReadError(IdxFiles.Gzip(IdxFiles.Build(0x08, [1 << 29], [1, 2, 3])));

        // A few dozen bytes of deflate cannot expand to 512 MiB: refused from the compressed length, nothing allocated.
        StringAssert.Contains(reason, "need 536870912 data bytes, more than a");
        Assert.IsLessThan(1L << 20, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void GzippedFileDeclaringWhatItCouldHoldButTruncated_IsTruncated()
    {
        // 4 KiB declared, 3 bytes present: within deflate's ratio of the file's length, so it is read and found short.
        StringAssert.Contains(ReadError(IdxFiles.Gzip(IdxFiles.Build(0x08, [4096], [1, 2, 3]))), "ends after 3 of the 4096 data bytes");
    }

    [TestMethod]
    public void AGzipBomb_IsReadIntoOneBufferOfItsDeclaredSize()
    {
        // 64 MiB of zeros compress about 1000:1; the data buffer must be allocated once, not grown by doubling.
        const int size = 64 << 20;
        string path = Write("bomb.gz", IdxFiles.Gzip(IdxFiles.Build(0x08, [size], new byte[size])));

        long before = GC.GetAllocatedBytesForCurrentThread();
        IdxArray array = IdxReader.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(size, array.Shape[0]);
        Assert.IsLessThan(size + (8L << 20), allocated, $"reading {size} bytes allocated {allocated}");
    }

    [TestMethod]
    public void TrailingBytesAreRejected()
    {
        byte[] file = IdxFiles.UnsignedBytes([2], 1, 2);

        StringAssert.Contains(ReadError([.. file, 0]), "1 trailing bytes");
        StringAssert.Contains(ReadError(IdxFiles.Gzip([.. file, 9])), "trailing garbage");
        StringAssert.Contains(ReadError([.. IdxFiles.Gzip(file), 0, 0, 0]), "gzip file does not end with the CRC-32");
    }

    [TestMethod]
    public void CorruptGzipIsAFormatError()
    {
        byte[] gz = IdxFiles.Gzip(IdxFiles.UnsignedBytes([4], 1, 2, 3, 4));
        byte[] badCrc = (byte[])gz.Clone();
        badCrc[^8] ^= 0xFF;

        Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(Write("crc.gz", badCrc)));

        // Block type 3 does not exist in deflate: the data after the 10-byte gzip header is garbage.
        byte[] garbage = (byte[])gz.Clone();
        garbage[10] = 0xFF;
        StringAssert.Contains(ReadError(garbage), "gzip");
    }

    [TestMethod]
    public void RandomCorruptionGivesOnlyFormatErrors()
    {
        byte[] plain = IdxFiles.Build(0x0C, [2, 3], [.. Enumerable.Range(0, 24).Select(i => (byte)i)]);
        byte[] gzipped = IdxFiles.Gzip(plain);
        var random = new Graph.Core.SeededRandom(54321);
        string path = Path.Combine(_directory, "fuzz");
        foreach (byte[] whole in new[] { plain, gzipped })
        {
            int rejected = 0;
            for (int trial = 0; trial < 500; trial++)
            {
                byte[] bytes = (byte[])whole.Clone();
                bytes[random.NextInt(bytes.Length)] = (byte)random.NextInt(256);
                File.WriteAllBytes(path, bytes);
                try
                {
                    IdxReader.Read(path);
                }
                catch (IdxFormatException)
                {
                    rejected++;
                }
            }

            Assert.IsGreaterThan(50, rejected);
        }
    }

    [TestMethod]
    public void MissingFileIsAnIOError()
    {
        Assert.ThrowsExactly<FileNotFoundException>(() => IdxReader.Read(Path.Combine(_directory, "absent")));
    }

    private string ReadError(byte[] bytes)
    {
        string path = Write("bad", bytes);
        IdxFormatException e = Assert.ThrowsExactly<IdxFormatException>(() => IdxReader.Read(path));
        StringAssert.Contains(e.Message, path);
        return e.Reason;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
