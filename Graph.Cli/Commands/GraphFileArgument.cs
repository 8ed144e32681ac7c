namespace Graph.Cli.Commands;

/// <summary>What the commands that read a .graph file say about a path that cannot be one.</summary>
internal static class GraphFileArgument
{
    /// <summary>Why <paramref name="file"/> cannot be read as a .graph file before trying (it is a folder), or null.</summary>
    public static string? Problem(FileInfo file) =>
        Directory.Exists(file.FullName) ? $"'{file}' is a folder, not a .graph file" : null;
}
