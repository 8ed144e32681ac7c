using Graph.Core;
using Graph.Data;
using Graph.Tests.Serialization.GraphFiles;

namespace Graph.Tests.Data;

/// <summary>
/// A well-formed pair too large for one float32 tensor (700,000 images of 28×28: 549 MB of pixels, 2.2 GB as float32)
/// throws the documented IdxFormatException, decided from the header, before the pixels are read; it used to read
/// them all and then throw ArgumentOutOfRangeException from AlignedBuffer.
/// </summary>
[TestClass]
public sealed class LargeIdxDatasetTests
{
    [TestMethod]
    public void Load_ImagesTooLargeForOneTensor_ThrowsIdxFormatExceptionWithoutReadingThem()
    {
        const int Count = 700_000;
        using var directory = new TemporaryDirectory();
        string images = directory.File("images-idx3-ubyte");
        string labels = directory.File("labels-idx1-ubyte");
        using (var file = new FileStream(images, FileMode.CreateNew))
        {
            file.Write(IdxFiles.UnsignedBytes([Count, 28, 28]));
            file.SetLength(file.Length + (Count * 28L * 28)); // sparse: the zero pixels take no disk space
        }

        File.WriteAllBytes(labels, IdxFiles.UnsignedBytes([Count], new byte[Count]));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxDataset.Load(images, labels, classes: 10));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(images, e.FilePath);
        StringAssert.Contains(e.Reason, $"more than one tensor holds ({AlignedBuffer.MaxByteLength} bytes)");
        Assert.IsLessThan(16L << 20, allocated, $"{allocated:N0} bytes allocated: the pixels must not be read");
    }

    [TestMethod]
    public void Load_GzippedImagesTooLargeForOneTensor_AreRefusedFromTheDecompressedHeader()
    {
        const int Count = 700_000; // the header alone: the check must come before the reader finds the data missing
        using var directory = new TemporaryDirectory();
        string images = directory.File("images-idx3-ubyte.gz");
        string labels = directory.File("labels-idx1-ubyte");
        File.WriteAllBytes(images, IdxFiles.Gzip(IdxFiles.UnsignedBytes([Count, 28, 28])));
        File.WriteAllBytes(labels, IdxFiles.UnsignedBytes([1], 0));

        var e = Assert.ThrowsExactly<IdxFormatException>(() => IdxDataset.Load(images, labels, classes: 10));

        StringAssert.Contains(e.Reason, $"its {Count} images of 28×28 need {Count * 28L * 28 * 4} bytes as float32");
    }
}
