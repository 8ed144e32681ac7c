using Graph.Cli.Benchmarking;
using Graph.Cli.Commands;
using Graph.Cli.Training;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.Serialization.GraphFiles;

namespace Graph.Tests.Cli;

/// <summary><c>graph bench</c>: times any .graph file on inputs it fills itself, in range for what they index.</summary>
[TestClass]
public sealed class BenchCommandTests
{
    [TestMethod]
    public void GraphWithALoss_TimesForwardAndBackward_OnTheInputsItNames()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        GraphFile.Save(GraphFileModels.Mlp(), path);

        (int code, string output, string error) = Bench(path, "--repeats", "3", "--warmup", "1");

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "mlp.graph: inputs x float32[8, 20] uniform [-1, 1), y int64[8] in [0, 10); 1 warm-up and 3 timed steps, ");
        string[] rows = output.Split('\n');
        string forward = rows.Single(r => r.Contains("forward", StringComparison.Ordinal));
        string backward = rows.Single(r => r.Contains("backward of loss", StringComparison.Ordinal));
        foreach (string row in new[] { forward, backward })
        {
            Assert.AreEqual(3, row.Split(' ').Count(w => w is "µs" or "ms" or "s"), row);
            StringAssert.EndsWith(row.TrimEnd('│', ' ', '\r'), " B", row);
        }

        Assert.AreEqual(string.Empty, error);
    }

    [TestMethod]
    public void EvaluationGraph_TimesForwardOnly()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("sort.graph");
        GraphFile.Save(SequenceGraph.Build(batchSize: 4, seed: 0, training: false).Compiled, path);

        (int code, string output, string error) = Bench(path, "--repeats", "1", "--warmup", "0");

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "forward");
        Assert.DoesNotContain("backward", output);
    }

    [TestMethod]
    public void IndexInputs_StayBelowWhatTheyIndex_AndTheValuesAreTheSameEveryRun()
    {
        // The transformer's tokens index a 3-row embedding and its targets 3 classes (through a reshape): anything larger fails in the kernels.
        CompiledGraph graph = SequenceGraph.Build(batchSize: 8, seed: 0, training: true).Compiled;
        using var first = new Session(graph);
        using var second = new Session(graph);

        IReadOnlyList<FilledInput> filled = BenchInputs.Fill(first);
        BenchInputs.Fill(second);

        CollectionAssert.AreEquivalent(new[] { "tokens int64[8, 11] in [0, 3)", "targets int64[8, 6] in [0, 3)" }, filled.Select(f => f.ToString()).ToArray());
        foreach (FilledInput input in filled)
        {
            long[] values = first.Output(input.Input).ToArray<long>();
            Assert.IsTrue(values.All(v => v is >= 0 and < SortTask.Digits), input.ToString());
            Assert.IsGreaterThan(1, values.Distinct().Count(), $"{input}: not one value everywhere");
            CollectionAssert.AreEqual(values, second.Output(input.Input).ToArray<long>(), input.ToString());
        }

        first.Forward();
        first.Backward();
    }

    [TestMethod]
    [DataRow("--repeats", "0", "graph bench: --repeats must be at least 1; got 0.")]
    [DataRow("--warmup", "-1", "graph bench: --warmup must be at least 0; got -1.")]
    public void BadCount_SaysWhatIsWrong_AndExitsWithOne(string option, string value, string expected)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        GraphFile.Save(GraphFileModels.Mlp(), path);

        (int code, string output, string error) = Bench(path, option, value);

        Assert.AreEqual(1, code);
        Assert.AreEqual(string.Empty, output);
        Assert.AreEqual(expected, error.Trim());
    }

    [TestMethod]
    public void Folder_IsNotAGraphFile()
    {
        using var directory = new TemporaryDirectory();

        (int code, _, string error) = Bench(directory.Path);

        Assert.AreEqual(1, code);
        Assert.AreEqual($"graph bench: '{directory.Path}' is a folder, not a .graph file", error.Trim());
    }

    private static (int Code, string Output, string Error) Bench(string path, params string[] options)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = BenchCommand.Create(CliConsole.Create(output, isTerminal: false, noColor: false), error).Parse(["bench", path, .. options]).Invoke();
        return (code, output.ToString(), error.ToString());
    }
}
