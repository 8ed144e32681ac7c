using System.Xml.Linq;

namespace Graph.Tests.Packaging;

/// <summary>A console app, outside the repository, that references Graph's packages as a user's project does.</summary>
internal static class ConsumerApp
{
    /// <summary>Writes the app into <c>WORK/app</c> with <paramref name="program"/> as its Program.cs and returns its folder.</summary>
    public static string Create(string work, string feed, IReadOnlyList<string> packages, string version, string program)
    {
        string app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        // Empty files here end MSBuild's upward search, so nothing above the temporary folder shapes the build.
        File.WriteAllText(Path.Combine(work, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(work, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(work, "Directory.Packages.props"), "<Project />\n");

        new XDocument(new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XElement("PropertyGroup",
                new XElement("OutputType", "Exe"),
                new XElement("TargetFramework", "net10.0"),
                new XElement("Nullable", "enable"),
                new XElement("ImplicitUsings", "enable"),
                new XElement("TreatWarningsAsErrors", "true"),
                // Restored here, not into the machine's package folder, so a later run never meets these packages cached.
                new XElement("RestorePackagesPath", "packages")),
            new XElement("ItemGroup", packages.Select(package => new XElement("PackageReference",
                new XAttribute("Include", package), new XAttribute("Version", $"[{version}]")))))).Save(Path.Combine(app, "Consumer.csproj"));

        // Graph's packages come from the feed only, so that no registry package of the same name can stand in for
        // them. Their dependencies come from the machine's package folder, where the repository's own restore put
        // them from the registry: the packages' dependency versions are the ones Directory.Packages.props pins.
        new XDocument(new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                Source("graph", feed),
                Source("restored", MachinePackageFolder(app))))).Save(Path.Combine(app, "nuget.config"));

        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
        return app;
    }

    private static XElement Source(string key, string path) =>
        new("add", new XAttribute("key", key), new XAttribute("value", path));

    private static string MachinePackageFolder(string app)
    {
        // "global-packages: /root/.nuget/packages/"
        string line = DotnetCommand.Run(app, "nuget", "locals", "global-packages", "--list").Trim();
        const string Prefix = "global-packages: ";
        Assert.StartsWith(Prefix, line, $"Unexpected answer of dotnet nuget locals: '{line}'.");
        return line[Prefix.Length..].Trim();
    }
}
