using Graph.Cli.Commands;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.Serialization.GraphFiles;
using Spectre.Console;

namespace Graph.Tests.Cli;

/// <summary><c>graph inspect</c> describes a file, or says why it cannot and exits with 1.</summary>
[TestClass]
public sealed class InspectCommandTests
{
    [TestMethod]
    public void SessionFile_PrintsVersionOpsParametersTapesPlanAndOptimizerState()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        using (var session = new Session(GraphFileModels.Mlp()))
        {
            (Core.Tensor x, Core.Tensor y) = GraphFileModels.MlpBatch();
            session.SetInput(session.Graph.Find("x"), x);
            session.SetInput(session.Graph.Find("y"), y);
            session.Forward();
            session.Backward();
            new Adam(session).Step();
            GraphFile.Save(session, path);
        }

        (int code, string output, string error) = Inspect(path);

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, $"mlp.graph: .graph format {GraphFormat.VersionText}, a saved session");
        StringAssert.Contains(output, "matmul");
        StringAssert.Contains(output, "fc1.weight");
        StringAssert.Contains(output, "[32, 20]");
        StringAssert.Contains(output, "forward:");
        StringAssert.Contains(output, "backward of loss");
        StringAssert.Contains(output, "memory timeline:");
        StringAssert.Contains(output, "exp_avg_sq float32[10]");
        Assert.AreEqual(string.Empty, error);
    }

    [TestMethod]
    public void GraphFile_HasNoOptimizerSection()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("q.graph");
        GraphFile.Save(GraphFileModels.Q(), path);

        (int code, string output, _) = Inspect(path);

        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "a compiled graph");
        Assert.DoesNotContain("optimizer state", output);
    }

    [TestMethod]
    public void DamagedFile_PrintsTheFormatErrorAndExitsWithOne()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("damaged.graph");
        File.WriteAllBytes(path, GraphFileWriter.ToBytes(GraphFileModels.Q(), null)[..100]);

        (int code, string output, string error) = Inspect(path);

        Assert.AreEqual(1, code);
        Assert.AreEqual(string.Empty, output);
        StringAssert.StartsWith(error, "damaged.graph: Invalid .graph file at byte ");
    }

    [TestMethod]
    public void MissingFile_ExitsWithOne()
    {
        using var directory = new TemporaryDirectory();
        (int code, _, string error) = Inspect(directory.File("missing.graph"));

        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "missing.graph");
    }

    [TestMethod]
    public void Folder_IsNotAGraphFile()
    {
        using var directory = new TemporaryDirectory();

        (int code, string output, string error) = Inspect(directory.Path);

        Assert.AreEqual(1, code);
        Assert.AreEqual(string.Empty, output);
        Assert.AreEqual($"graph inspect: '{directory.Path}' is a folder, not a .graph file", error.Trim());
    }

    [TestMethod]
    public void OpCounts_AreWhatTheTapesRun_NotTheFoldedValues()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        Core.CompiledGraph graph = GraphFileModels.Mlp();
        GraphFile.Save(graph, path);
        Core.Value[] onTapes = [.. graph.Forward.Steps, .. graph.Backward.SelectMany(b => b.Tape.Steps)];
        Assert.IsTrue(graph.Graph.Values.Any(v => v.Op?.Name == "transpose" && !onTapes.Contains(v)), "the MLP's weight transposes are folded into its matmuls");

        (_, string output, _) = Inspect(path);

        string[] rows = output.Split('\n');
        Assert.IsFalse(rows.Any(r => r.StartsWith("│ transpose ", StringComparison.Ordinal)), output);
        string matmul = rows.Single(r => r.StartsWith("│ matmul ", StringComparison.Ordinal));
        string[] cells = matmul.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.AreEqual(graph.Forward.Steps.Count(v => v.Op!.Name == "matmul").ToString(System.Globalization.CultureInfo.InvariantCulture), cells[1], "forward");
        Assert.AreEqual(graph.Backward.SelectMany(b => b.Tape.Steps).Count(v => v.Op!.Name == "matmul").ToString(System.Globalization.CultureInfo.InvariantCulture), cells[2], "backward");
    }

    [TestMethod]
    public void InAPipe_NoEscapeCodes_AndNoLineIsWrapped()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        Core.CompiledGraph graph = GraphFileModels.Mlp();
        GraphFile.Save(graph, path);
        string tapes = graph.ToString();
        Assert.IsTrue(tapes.Split('\n').Any(line => line.Length > 100), "some line is longer than a default console");

        (_, string output, _) = Inspect(path);

        Assert.DoesNotContain("\u001b", output);
        StringAssert.Contains(output, tapes);
        StringAssert.Contains(output, graph.Memory.Timeline());
    }

    [TestMethod]
    public void TinyGraph_MemoryHeadline_ExplainsWhyTheArenaIsLargerThanTheUnplannedBytes()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("q.graph");
        Core.CompiledGraph graph = GraphFileModels.Q();
        GraphFile.Save(graph, path);
        Assert.IsGreaterThan(graph.Memory.UnplannedBytes, graph.Memory.ArenaBytes, "Q's buffers are 8 bytes each, every one aligned to 64");

        (_, string output, _) = Inspect(path);

        string[] lines = output.Split('\n');
        int headline = Array.FindIndex(lines, l => l.StartsWith("arena ", StringComparison.Ordinal));
        StringAssert.StartsWith(lines[headline + 1], $"  (the arena is larger than the unplanned bytes because every buffer starts at a multiple of {Core.AlignedBuffer.Alignment} bytes, for SIMD loads: rounded up so, the {graph.Memory.Buffers.Count} buffers would take ");
    }

    [TestMethod]
    public void LargerGraph_MemoryHeadline_HasNoAlignmentNote()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        Core.CompiledGraph graph = GraphFileModels.Mlp();
        GraphFile.Save(graph, path);
        Assert.IsLessThanOrEqualTo(graph.Memory.UnplannedBytes, graph.Memory.ArenaBytes);

        (_, string output, _) = Inspect(path);

        Assert.DoesNotContain("the arena is larger", output);
    }

    private static (int Code, string Output, string Error) Inspect(string path)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        IAnsiConsole console = CliConsole.Create(output, isTerminal: false, noColor: false);
        int code = InspectCommand.Create(console, error).Parse(["inspect", path]).Invoke();
        return (code, output.ToString(), error.ToString());
    }
}
