using Graph.Core;
using Graph.Serialization;

namespace Graph.Tests.Serialization.Safetensors;

[TestClass]
public sealed class SafetensorsFileTests
{
    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("graph-safetensors-").FullName;
    }

    [TestCleanup]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [TestMethod]
    public void WriteThenReadRoundTripsAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.FromArray([1.0f, 2.0f, 3.0f, 4.0f], 2, 2),
            ["steps"] = Tensor.Scalar(12, DType.Int64),
        };

        SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["epoch"] = "3" });

        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(_directory));
        CollectionAssert.AreEqual(SafetensorsFile.ToBytes(tensors, new Dictionary<string, string> { ["epoch"] = "3" }), File.ReadAllBytes(path));
        (IReadOnlyDictionary<string, Tensor> read, IReadOnlyDictionary<string, string> metadata) = SafetensorsFile.ReadWithMetadata(path);
        SafetensorsRoundTripTests.AssertSameTensors(tensors, read);
        Assert.AreEqual("3", metadata["epoch"]);
    }

    [TestMethod]
    public void WriteReplacesAnExistingFile()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        File.WriteAllText(path, "old contents that are much longer than the new file will be, to catch a missing truncate");

        SafetensorsFile.Write(path, [new("x", Tensor.FromArray([5.0]))]);

        Assert.AreEqual(5.0, SafetensorsFile.Read(path)["x"].Item());
        Assert.HasCount(1, Directory.GetFiles(_directory));
    }

    [TestMethod]
    public void FailedWriteLeavesNoTemporaryFileAndKeepsTheOldFile()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        SafetensorsFile.Write(path, [new("x", Tensor.FromArray([1.0f]))]);
        byte[] before = File.ReadAllBytes(path);

        // The destination's name is taken by a directory, so the final rename fails after the data is written.
        string blocked = Path.Combine(_directory, "blocked");
        Directory.CreateDirectory(blocked);
        Assert.Throws<IOException>(() => SafetensorsFile.Write(blocked, [new("x", Tensor.FromArray([2.0f]))]));

        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(_directory));
        CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
    }

    [TestMethod]
    public void InvalidArgumentsWriteNothing()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        Tensor t = Tensor.FromArray([1.0f]);

        Assert.ThrowsExactly<ArgumentException>(() => SafetensorsFile.Write(path, [new("a", t), new("a", t)]));

        Assert.IsEmpty(Directory.GetFileSystemEntries(_directory));
    }

    [TestMethod]
    public void TruncatedFileOnDiskIsAFormatErrorNamingTheFile()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        SafetensorsFile.Write(path, [new("w", Tensor.FromArray([1.0, 2.0, 3.0]))]);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..^1]);

        SafetensorsFormatException e = Assert.ThrowsExactly<SafetensorsFormatException>(() => SafetensorsFile.Read(path));

        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void MissingFileIsAnIOErrorNotAFormatError()
    {
        Assert.ThrowsExactly<FileNotFoundException>(() => SafetensorsFile.Read(Path.Combine(_directory, "absent.safetensors")));
    }
}
