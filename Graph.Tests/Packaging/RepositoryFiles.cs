using System.Reflection;

namespace Graph.Tests.Packaging;

/// <summary>The repository the test assembly was built from: its library projects and README's quick start.</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder holding Graph.sln, found upwards from the test assembly (Graph.Tests/bin/CONFIG/TFM).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in, so packing reuses that build of the libraries.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryFiles).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>Every library project (<c>ProjectType</c> Library, as eng/Library.targets packs), by project name.</summary>
    public static IReadOnlyList<string> LibraryNames() =>
        Directory.EnumerateDirectories(Root)
            .Select(folder => Path.Combine(folder, Path.GetFileName(folder) + ".csproj"))
            .Where(path => File.Exists(path) && File.ReadAllText(path).Contains("<ProjectType>Library</ProjectType>", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The C# of README.md's "Quick start" section: its first <c>```csharp</c> block.</summary>
    public static string QuickStart()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, "README.md"));
        int section = Array.IndexOf(lines, "## Quick start");
        Assert.IsGreaterThanOrEqualTo(0, section, "README.md has no '## Quick start' section.");
        int open = Array.IndexOf(lines, "```csharp", section);
        Assert.IsGreaterThan(section, open, "README.md's quick start has no ```csharp block.");
        int close = Array.IndexOf(lines, "```", open + 1);
        Assert.IsGreaterThan(open, close, "README.md's quick start block is not closed.");
        return string.Join('\n', lines[(open + 1)..close]) + "\n";
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Graph.sln")))
            {
                return folder.FullName;
            }
        }
        throw new AssertFailedException($"No Graph.sln above {AppContext.BaseDirectory}: the packaging test runs from a build of the repository.");
    }
}
