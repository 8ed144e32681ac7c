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

    private static (int Code, string Output, string Error) Inspect(string path)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        int code = InspectCommand.Create(console, error).Parse(["inspect", path]).Invoke();
        return (code, output.ToString(), error.ToString());
    }
}
