using System.Text;

namespace Graph.Tests.Onnx;

/// <summary>
/// ONNX's own backend node tests, from Debian's libonnx-testdata (tools/onnx/install.sh installs it): every test whose
/// nodes the importer converts is imported, run and compared with ONNX's expected outputs. A test may be refused with
/// an OnnxFormatException that names what is not supported (an attribute value, a data type); a wrong result or any
/// other exception fails. The report gives passed out of attempted and the op types not supported.
/// Run with: <c>dotnet test Graph.Tests -c Release -s Graph.Tests/onnx.runsettings</c>.
/// </summary>
[TestClass]
public sealed class OnnxConformanceTests
{
    /// <summary>Where Debian's libonnx-testdata puts the node tests; GRAPH_ONNX_NODE_TESTS overrides it.</summary>
    private const string DefaultNodeTests = "/usr/share/libonnx-testdata/data/node";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("OnnxConformance")]
    public void EverySupportedNodeTest_MatchesOnnx_OrIsRefusedByName()
    {
        string root = Environment.GetEnvironmentVariable("GRAPH_ONNX_NODE_TESTS") ?? DefaultNodeTests;
        Assert.IsTrue(Directory.Exists(root), $"ONNX's node tests are not at {root}: run tools/onnx/install.sh (or set GRAPH_ONNX_NODE_TESTS).");
        var outcomes = new Dictionary<NodeTestOutcome, List<string>>();
        var unsupportedOps = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (string directory in Directory.GetDirectories(root, "test_*").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(directory);
            string[] missing = OnnxNodeTestCase.UnsupportedOps(directory);
            (NodeTestOutcome outcome, string detail) = missing.Length > 0 ? (NodeTestOutcome.Unsupported, string.Empty) : OnnxNodeTestCase.Run(directory);
            foreach (string op in missing)
            {
                unsupportedOps[op] = unsupportedOps.GetValueOrDefault(op) + 1;
            }

            if (!outcomes.TryGetValue(outcome, out List<string>? list))
            {
                outcomes[outcome] = list = [];
            }

            list.Add(detail.Length == 0 ? name : $"{name}: {detail}");
        }

        List<string> Of(NodeTestOutcome o) => outcomes.GetValueOrDefault(o) ?? [];
        int attempted = Of(NodeTestOutcome.Passed).Count + Of(NodeTestOutcome.Refused).Count + Of(NodeTestOutcome.Failed).Count;
        var report = new StringBuilder();
        report.AppendLine($"ONNX node tests: {Of(NodeTestOutcome.Passed).Count} passed of {attempted} attempted ({Of(NodeTestOutcome.Refused).Count} refused by name, {Of(NodeTestOutcome.Failed).Count} failed); {Of(NodeTestOutcome.Unsupported).Count} not attempted (unsupported ops).");
        report.AppendLine($"Unsupported op types ({unsupportedOps.Count}): {string.Join(", ", unsupportedOps.Keys)}");
        report.AppendLine("Refused:");
        Of(NodeTestOutcome.Refused).ForEach(r => report.AppendLine("  " + r));
        report.AppendLine("Failed:");
        Of(NodeTestOutcome.Failed).ForEach(r => report.AppendLine("  " + r));
        TestContext.WriteLine(report.ToString());

        Assert.IsTrue(Of(NodeTestOutcome.Passed).Count > 0, "no node test passed");
        Assert.AreEqual(0, Of(NodeTestOutcome.Failed).Count, report.ToString());
    }
}
