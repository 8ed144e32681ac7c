using System.IO.Compression;
using System.Xml.Linq;

namespace Graph.Tests.Packaging;

/// <summary>
/// The packages are usable as a .NET user gets them: every library is packed into a folder feed, a new console app
/// references them all from it, and README's quick start, compiled as that app with warnings as errors, prints
/// PyTorch's gradients. The category packs and builds (about a minute), so the default run leaves it out; CI runs it
/// with Graph.Tests/packaging.runsettings.
/// </summary>
[TestClass]
[TestCategory("Packaging")]
public sealed class PackageConsumerTests
{
    private const string Version = "0.1.0";

    [TestMethod]
    public void ReadmeQuickStart_BuiltAgainstThePackedPackages_PrintsTheGradients()
    {
        IReadOnlyList<string> libraries = RepositoryFiles.LibraryNames();
        CollectionAssert.IsSubsetOf(new[] { "Graph.Compiler", "Graph.Core", "Graph.Data", "Graph.Runtime", "Graph.Serialization" }, libraries.ToList());
        DirectoryInfo work = Directory.CreateTempSubdirectory("graph-packaging-");
        try
        {
            string feed = Pack(libraries, work.FullName);
            foreach (string library in libraries)
            {
                AssertPackageContents(Path.Combine(feed, $"{library}.{Version}.nupkg"), library);
            }

            string app = ConsumerApp.Create(work.FullName, feed, libraries, Version, RepositoryFiles.QuickStart());
            string output = DotnetCommand.Run(app, "run", "-c", "Release");

            // Q = 3a³ − b² at a = [2, 3], b = [6, 4]: dQ/da = 9a², dQ/db = −2b.
            StringAssert.Contains(output, "tensor([36., 81.])");
            StringAssert.Contains(output, "tensor([-12., -8.])");
            // What IntelliSense reads reached the consumer.
            foreach (string library in libraries)
            {
                string docs = Path.Combine(app, "packages", library.ToLowerInvariant(), Version, "lib", "net10.0", library + ".xml");
                Assert.IsTrue(File.Exists(docs), $"The restored {library} package has no XML documentation at {docs}.");
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Packs every library, in the configuration the tests were built in, into one folder feed.</summary>
    private static string Pack(IReadOnlyList<string> libraries, string work)
    {
        string feed = Path.Combine(work, "feed");
        // One solution of the libraries, so a single dotnet pack checks the builds and packs them all.
        string solution = Path.Combine(work, "Libraries.slnx");
        new XDocument(new XElement("Solution",
            libraries.Select(library => new XElement("Project",
                new XAttribute("Path", Path.Combine(RepositoryFiles.Root, library, library + ".csproj")))))).Save(solution);
        DotnetCommand.Run(work, "pack", solution, "-c", RepositoryFiles.Configuration, "-m:1", $"-p:PackageOutputPath={feed}");
        return feed;
    }

    private static void AssertPackageContents(string package, string library)
    {
        Assert.IsTrue(File.Exists(package), $"dotnet pack wrote no {package}.");
        using ZipArchive archive = ZipFile.OpenRead(package);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string expected in new[] { $"lib/net10.0/{library}.dll", $"lib/net10.0/{library}.xml", "README.md" })
        {
            Assert.Contains(expected, entries, $"{Path.GetFileName(package)} lacks {expected}.");
        }

        using Stream nuspec = archive.GetEntry($"{library}.nuspec")!.Open();
        XElement metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        Assert.AreEqual(library, Field("id"));
        Assert.AreEqual(Version, Field("version"));
        Assert.AreEqual("MIT", Field("license"));
        Assert.AreEqual("README.md", Field("readme"));
        Assert.IsGreaterThan(40, Field("description").Length, $"{library}'s package has no real description: '{Field("description")}'.");
        StringAssert.Contains(Field("tags"), "autodiff");
    }
}
