using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>A save that fails leaves the file that was there as it was, and no temporary file behind.</summary>
[TestClass]
public sealed class AtomicSaveTests
{
    [TestMethod]
    public void FailureMidWrite_LeavesOldFileAndNoTemporaryFile()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.graph");
        GraphFile.Save(GraphFileModels.Q(), path);
        byte[] good = File.ReadAllBytes(path);
        byte[] replacement = GraphFileWriter.ToBytes(GraphFileModels.Mlp(), session: null);

        IOException thrown = Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(replacement.AsSpan(0, replacement.Length / 2));
            throw new IOException("disk full (injected)");
        }));

        Assert.AreEqual("disk full (injected)", thrown.Message);
        CollectionAssert.AreEqual(good, File.ReadAllBytes(path), "the old file");
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(directory.Path), "no temporary file");
        GraphFile.Load(path);
    }

    [TestMethod]
    public void FailureWhileSerializing_LeavesOldFileAndNoTemporaryFile()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.graph");
        GraphFile.Save(GraphFileModels.Q(), path);
        byte[] good = File.ReadAllBytes(path);
        var session = new Session(GraphFileModels.Mlp());
        session.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => GraphFile.Save(session, path));

        CollectionAssert.AreEqual(good, File.ReadAllBytes(path), "the old file");
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(directory.Path), "no temporary file");
    }

    [TestMethod]
    public void FailureWhileRenaming_LeavesNoTemporaryFile()
    {
        using var directory = new TemporaryDirectory();
        string target = directory.File("occupied");
        Directory.CreateDirectory(target);

        Assert.Throws<IOException>(() => GraphFile.Save(GraphFileModels.Q(), target));

        Assert.IsEmpty(Directory.GetFiles(directory.Path), "no temporary file");
        Assert.IsTrue(Directory.Exists(target));
    }

    [TestMethod]
    public void Save_ReplacesAnExistingFile()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.graph");
        GraphFile.Save(GraphFileModels.Q(), path);
        GraphFile.Save(GraphFileModels.Mlp(), path);

        Assert.AreEqual("loss", GraphFile.Load(path).Find("loss").Name);
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(directory.Path));
    }
}
