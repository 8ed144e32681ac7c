using System.CommandLine;
using Graph.Cli.Commands;
using Graph.Cli.Training;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.Serialization.GraphFiles;
using Spectre.Console;

namespace Graph.Tests.Cli;

/// <summary><c>graph train --model transformer</c> end to end on a short run: it reports held-out exact match and saves a model that scores it.</summary>
[TestClass]
public sealed class TransformerTrainCommandTests
{
    [TestMethod]
    public void ShortRun_ReportsHeldOutExactMatch_AndTheSavedFileScoresWhatWasPrinted()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("sort.graph");
        (IAnsiConsole console, StringWriter output) = PlainConsole();

        TrainResult result = TrainCommand.Train(
            new TrainOptions { Model = "transformer", Epochs = 2, StepsPerEpoch = 3, BatchSize = 16, Threads = 1, Output = path },
            console);

        string log = output.ToString();
        Assert.HasCount(2, result.Epochs);
        StringAssert.Contains(log, "transformer: sorting 6 digits 0-2, 584 training and 145 held-out sequences; adamw lr 0.003 cosine per step, clip 1, batch 16, 2 epochs of 3 steps, seed 0");
        StringAssert.Contains(log, "epoch 2/2  lr 0.0015  loss ");
        StringAssert.Contains(log, $"held-out exact match: final {100 * result.FinalTestAccuracy:F2}%");
        StringAssert.Contains(log, $"saved the final model to {path}");

        // The file is the evaluation session: loaded on its own, it sorts the held-out inputs exactly as well as printed.
        using Session loaded = GraphFile.LoadSession(path);
        Assert.AreEqual(16, loaded.Graph.Find(SequenceGraph.TokensName).Shape[0]);
        Assert.AreEqual(result.FinalTestAccuracy, new SortEvaluator(loaded).ExactMatch(SortTask.Create().Test));
    }

    [TestMethod]
    public void SortTask_HoldsOutAFifthOfEveryInput_AndWritesSortedTargets()
    {
        SortTask task = SortTask.Create();

        Assert.AreEqual(729, task.Train.Concat(task.Test).Select(s => string.Join(",", s)).Distinct().Count());
        Assert.HasCount(145, task.Test);
        var tokens = new long[SortTask.ContextLength];
        var targets = new long[SortTask.Length];
        SortTask.Write([2, 0, 1, 2, 0, 0], 0, tokens, targets);
        CollectionAssert.AreEqual(new long[] { 2, 0, 1, 2, 0, 0, 0, 0, 0, 1, 2 }, tokens);
        CollectionAssert.AreEqual(new long[] { 0, 0, 0, 1, 2, 2 }, targets);
    }

    [TestMethod]
    [DataRow(new[] { "--steps-per-epoch", "0" }, "--steps-per-epoch must be at least 1; got 0.")]
    [DataRow(new[] { "--optimizer", "sgd" }, "apply to --model cnn only")]
    [DataRow(new[] { "--dataset", "fashion-mnist" }, "apply to --model cnn only")]
    [DataRow(new[] { "--epochs", "0" }, "--epochs must be at least 1; got 0.")]
    public void BadOption_SaysWhatIsWrong_AndExitsWithOne(string[] options, string expected)
    {
        (IAnsiConsole console, StringWriter output) = PlainConsole();
        var error = new StringWriter();
        int code = TrainCommand.Create(console, error).Parse(["train", "--model", "transformer", .. options]).Invoke(new InvocationConfiguration { Output = output, Error = error });

        Assert.AreEqual(1, code);
        StringAssert.Contains(error.ToString(), expected);
        Assert.DoesNotContain("epoch 1/", output.ToString());
    }

    [TestMethod]
    public void StepsPerEpoch_IsRefusedForTheCnn()
    {
        var options = new TrainOptions { StepsPerEpoch = 5 };

        TrainOptionsException e = Assert.ThrowsExactly<TrainOptionsException>(() => options.Resolve());
        StringAssert.Contains(e.Message, "--steps-per-epoch applies to --model transformer only");
    }

    private static (IAnsiConsole Console, StringWriter Output) PlainConsole()
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        return (console, output);
    }
}
