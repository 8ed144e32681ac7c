namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>A fresh directory under the system's temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = Directory.CreateTempSubdirectory("graph-tests-").FullName;
    }

    public string Path { get; }

    /// <summary>A path for a file named <paramref name="name"/> in the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
