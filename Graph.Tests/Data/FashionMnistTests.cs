using Graph.Core;
using Graph.Data;

namespace Graph.Tests.Data;

[TestClass]
public sealed class FashionMnistTests
{
    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("graph-fashion-").FullName;
    }

    [TestCleanup]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [TestMethod]
    public void LoadsATinyDirectoryOfMixedPlainAndGzippedFiles()
    {
        // 3 training images of 2x2, 1 test image; the Debian package ships .gz, other sources plain files.
        Write("train-images-idx3-ubyte.gz", IdxFiles.Gzip(IdxFiles.UnsignedBytes([3, 2, 2], 0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8)));
        Write("train-labels-idx1-ubyte", IdxFiles.UnsignedBytes([3], 9, 0, 4));
        Write("t10k-images-idx3-ubyte", IdxFiles.UnsignedBytes([1, 2, 2], 10, 20, 30, 40));
        Write("t10k-labels-idx1-ubyte.gz", IdxFiles.Gzip(IdxFiles.UnsignedBytes([1], 7)));

        (Dataset train, Dataset test) = FashionMnist.Load(_directory);

        Assert.AreEqual(new Shape(3, 1, 2, 2), train.Images.Shape);
        Assert.AreEqual(10, train.Classes);
        CollectionAssert.AreEqual(new long[] { 9, 0, 4 }, train.Labels.ToArray<long>());
        CollectionAssert.AreEqual(new[] { 0f, 1f, 51 / 255f, 102 / 255f }, train.Images.AsSpan<float>()[..4].ToArray());
        Assert.AreEqual(1, test.Count);
        Assert.AreEqual(7L, test.Labels.AsSpan<long>()[0]);
        Assert.AreEqual("Sneaker", FashionMnist.ClassNames[7]);
    }

    [TestMethod]
    public void MissingFilesAreListedWithHowToGetThem()
    {
        Write("train-images-idx3-ubyte.gz", IdxFiles.Gzip(IdxFiles.UnsignedBytes([1, 1, 1], 0)));

        FileNotFoundException e = Assert.ThrowsExactly<FileNotFoundException>(() => FashionMnist.Load(_directory));

        StringAssert.Contains(e.Message, $"the folder '{_directory}' has train-images-idx3-ubyte[.gz] but not train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz].");
        StringAssert.Contains(e.Message, "apt-get install dataset-fashion-mnist");
        StringAssert.Contains(e.Message, "--data DIR");
        Assert.AreEqual(Path.Combine(_directory, "train-labels-idx1-ubyte"), e.FileName);
    }

    [TestMethod]
    public void MissingDirectoryIsSaid()
    {
        string absent = Path.Combine(_directory, "nowhere");

        FileNotFoundException e = Assert.ThrowsExactly<FileNotFoundException>(() => FashionMnist.Load(absent));

        StringAssert.Contains(e.Message, $"the folder '{absent}' does not exist");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "empty folder")]
    [DataRow(true, DisplayName = "no folder")]
    public void NoFile_NamesEachOfTheFourFilesOnce(bool noFolder)
    {
        string directory = noFolder ? Path.Combine(_directory, "nowhere") : _directory;

        FileNotFoundException e = Assert.ThrowsExactly<FileNotFoundException>(() => FashionMnist.Load(directory));

        foreach (string file in new[] { FashionMnist.TrainImagesFile, FashionMnist.TrainLabelsFile, FashionMnist.TestImagesFile, FashionMnist.TestLabelsFile })
        {
            Assert.AreEqual(1, e.Message.Split(file).Length - 1, e.Message);
        }
    }

    [TestMethod]
    public void CountMismatchIsAFormatError()
    {
        WriteAll(trainLabels: IdxFiles.UnsignedBytes([3], 1, 2, 3));

        IdxFormatException e = Assert.ThrowsExactly<IdxFormatException>(() => FashionMnist.Load(_directory));

        StringAssert.Contains(e.Reason, "3 labels but");
        StringAssert.Contains(e.Reason, "has 2 images");
    }

    [TestMethod]
    public void LabelOutOfRangeIsAFormatError()
    {
        WriteAll(trainLabels: IdxFiles.UnsignedBytes([2], 1, 10));

        IdxFormatException e = Assert.ThrowsExactly<IdxFormatException>(() => FashionMnist.Load(_directory));

        StringAssert.Contains(e.Reason, "label 1 is 10; labels must be below 10");
    }

    [TestMethod]
    public void WrongRankOrTypeIsAFormatError()
    {
        WriteAll(trainImages: IdxFiles.UnsignedBytes([2, 4], 1, 2, 3, 4, 5, 6, 7, 8));
        StringAssert.Contains(Assert.ThrowsExactly<IdxFormatException>(() => FashionMnist.Load(_directory)).Reason, "images must be ubyte [count, rows, columns]");

        WriteAll(trainLabels: IdxFiles.Build(0x09, [2], [1, 2]));
        StringAssert.Contains(Assert.ThrowsExactly<IdxFormatException>(() => FashionMnist.Load(_directory)).Reason, "labels must be ubyte [count]; this file holds SignedByte [2]");
    }

    private void WriteAll(byte[]? trainImages = null, byte[]? trainLabels = null)
    {
        Write("train-images-idx3-ubyte", trainImages ?? IdxFiles.UnsignedBytes([2, 1, 1], 1, 2));
        Write("train-labels-idx1-ubyte", trainLabels ?? IdxFiles.UnsignedBytes([2], 1, 2));
        Write("t10k-images-idx3-ubyte", IdxFiles.UnsignedBytes([1, 1, 1], 3));
        Write("t10k-labels-idx1-ubyte", IdxFiles.UnsignedBytes([1], 3));
    }

    private void Write(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(_directory, name), bytes);
}
