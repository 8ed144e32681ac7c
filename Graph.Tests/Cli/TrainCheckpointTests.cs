using System.CommandLine;
using System.Text.Json;
using Graph.Cli.Commands;
using Graph.Cli.Training;
using Graph.Core;
using Graph.Serialization;
using Graph.Tests.Serialization.GraphFiles;
using Spectre.Console;

namespace Graph.Tests.Cli;

/// <summary>
/// <c>graph train --checkpoint</c> and <c>--resume</c>: a run that dies after an epoch and is resumed ends with the
/// very parameters (bit for bit) and epoch results of the run that never stopped.
/// </summary>
[TestClass]
public sealed class TrainCheckpointTests
{
    private const int Epochs = 3;

    /// <summary>A checkpoint whose session file is in another folder, and whose history is missing an epoch.</summary>
    private const string DamagedCheckpoint = """
        {"format": "graph train checkpoint", "version": 1, "model": "cnn", "dataset": "digits", "optimizer": "adam", "epochs": 3,
         "batch_size": 32, "learning_rate": 0.003, "seed": 0, "output": "/tmp/m.graph", "epochs_done": 1, "session": "../elsewhere.graph", "history": null}
        """;

    [TestMethod]
    [DataRow("adam")]
    [DataRow("sgd")]
    public void Cnn_DiedAfterEpochOne_Resumed_EqualsTheStraightRun_Bitwise(string optimizer)
    {
        var options = new TrainOptions { Epochs = Epochs, BatchSize = 200, Optimizer = optimizer, Seed = 5, Threads = 1, Quiet = true };
        AssertResumeEqualsStraight(options);
    }

    [TestMethod]
    public void Transformer_DiedAfterEpochOne_Resumed_EqualsTheStraightRun_Bitwise()
    {
        // Dropout's masks, AdamW's moments, the per-step cosine schedule and the reshuffling all have to continue.
        var options = new TrainOptions { Model = "transformer", Epochs = Epochs, StepsPerEpoch = 3, BatchSize = 16, Seed = 2, Threads = 1, Quiet = true };
        AssertResumeEqualsStraight(options);
    }

    [TestMethod]
    public void Checkpoint_AfterEveryEpoch_KeepsOnlyTheLatestSession_WhichHoldsTheTrainedParameters()
    {
        using var directory = new TemporaryDirectory();
        string checkpoint = directory.File("run.ckpt");
        string model = directory.File("model.graph");

        (int code, _, string error) = Invoke("train", "--epochs", "2", "--batch-size", "200", "--threads", "1", "-q", "-o", model, "--checkpoint", checkpoint);

        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEquivalent(new[] { "model.graph", "run.ckpt", "run.ckpt.epoch-2.graph" }, Directory.GetFiles(directory.Path).Select(Path.GetFileName).ToArray());
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(checkpoint));
        Assert.AreEqual(2, json.RootElement.GetProperty("epochs_done").GetInt32());
        Assert.AreEqual(2, json.RootElement.GetProperty("history").GetArrayLength());
        AssertSameParameters(GraphFile.Load(model), GraphFile.Load(directory.File("run.ckpt.epoch-2.graph")));
        Assert.IsTrue(GraphFile.Inspect(directory.File("run.ckpt.epoch-2.graph")).IsSession);
    }

    [TestMethod]
    [DataRow("--epochs", "5")]
    [DataRow("--seed", "1")]
    [DataRow("--model", "transformer")]
    public void Resume_WithAnOptionThatDefinesTheRun_IsRefused(string option, string value)
    {
        (int code, _, string error) = Invoke("train", "--resume", "run.ckpt", option, value);

        Assert.AreEqual(1, code);
        StringAssert.Contains(error, $"--resume continues a run with the checkpoint's settings; leave out {option}.");
    }

    [TestMethod]
    public void Resume_OfNoCheckpoint_SaysHowToMakeOne()
    {
        using var directory = new TemporaryDirectory();
        string missing = directory.File("none.ckpt");

        (int code, _, string error) = Invoke("train", "--resume", missing);

        Assert.AreEqual(1, code);
        Assert.AreEqual($"graph train: --resume: there is no checkpoint '{missing}'; `graph train --checkpoint {missing}` writes one after every epoch.", error.Trim());
    }

    [TestMethod]
    [DataRow("{\"format\": \"something else\"}", "is not a graph train checkpoint")]
    [DataRow("not json", "is not a graph train checkpoint")]
    [DataRow("{\"format\": \"graph train checkpoint\", \"version\": 2}", "is a version 2 checkpoint; this graph reads version 1.")]
    [DataRow(DamagedCheckpoint, "is damaged: it should list the results of its 1 epochs done and name a session file in its own folder.")]
    public void Resume_OfAnotherFile_IsRefused(string content, string expected)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("other.json");
        File.WriteAllText(path, content);

        (int code, _, string error) = Invoke("train", "--resume", path);

        Assert.AreEqual(1, code);
        StringAssert.Contains(error, expected);
    }

    [TestMethod]
    public void Resume_OfACompleteRun_SaysSo()
    {
        using var directory = new TemporaryDirectory();
        string checkpoint = directory.File("run.ckpt");
        Assert.AreEqual(0, Invoke("train", "--epochs", "1", "--batch-size", "200", "--threads", "1", "-q", "-o", directory.File("m.graph"), "--checkpoint", checkpoint).Code);

        (int code, _, string error) = Invoke("train", "--resume", checkpoint);

        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--resume: the checkpoint's run is complete (1 of 1 epochs)");
    }

    [TestMethod]
    public void Checkpoint_InAMissingFolder_IsRefusedBeforeTraining()
    {
        (int code, string output, string error) = Invoke("train", "--checkpoint", "/nonexistent-graph-folder/run.ckpt");

        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--checkpoint: the folder '/nonexistent-graph-folder' does not exist.");
        Assert.DoesNotContain("epoch 1/", output);
    }

    /// <summary>Trains <paramref name="options"/> straight; again, dying at epoch 2's log line; resumes; compares.</summary>
    private static void AssertResumeEqualsStraight(TrainOptions options)
    {
        using var directory = new TemporaryDirectory();
        string checkpoint = directory.File("run.ckpt");

        TrainResult straight = TrainCommand.Train(options with { Output = directory.File("straight.graph") }, PlainConsole(new StringWriter()));

        var dying = new CrashingWriter($"epoch 2/{Epochs}");
        Assert.ThrowsExactly<SimulatedCrashException>(() => TrainCommand.Train(options with { Output = directory.File("died.graph"), Checkpoint = checkpoint }, PlainConsole(dying)));
        Assert.IsFalse(File.Exists(directory.File("died.graph")), "the run died before saving its model");
        Assert.IsTrue(File.Exists(directory.File("run.ckpt.epoch-1.graph")), "the checkpoint of epoch 1 is there");

        var log = new StringWriter();
        TrainResult resumed = TrainCommand.Train(new TrainOptions { Resume = checkpoint, Output = directory.File("resumed.graph"), Threads = 1, Quiet = true }, PlainConsole(log));

        StringAssert.Contains(log.ToString(), $"resuming after epoch 1/{Epochs} from {checkpoint}");
        Assert.DoesNotContain("epoch 1/", log.ToString().Replace($"after epoch 1/{Epochs}", string.Empty, StringComparison.Ordinal));
        Assert.HasCount(Epochs, resumed.Epochs);
        for (int i = 0; i < Epochs; i++)
        {
            Assert.AreEqual(straight.Epochs[i].LearningRate, resumed.Epochs[i].LearningRate, $"epoch {i + 1}'s learning rate");
            Assert.AreEqual(straight.Epochs[i].TrainLoss, resumed.Epochs[i].TrainLoss, $"epoch {i + 1}'s loss");
            Assert.AreEqual(straight.Epochs[i].TestAccuracy, resumed.Epochs[i].TestAccuracy, $"epoch {i + 1}'s test accuracy");
        }

        AssertSameParameters(GraphFile.Load(straight.OutputPath), GraphFile.Load(resumed.OutputPath));
    }

    /// <summary>Every parameter of <paramref name="expected"/> is in <paramref name="actual"/> with the same bits.</summary>
    private static void AssertSameParameters(CompiledGraph expected, CompiledGraph actual)
    {
        Assert.IsNotEmpty(expected.Graph.Parameters);
        foreach (Value p in expected.Graph.Parameters)
        {
            Tensor want = p.Data!;
            Tensor got = actual.Find(p.Name).Data!;
            Assert.AreEqual(want.DType, got.DType, p.Name);
            CollectionAssert.AreEqual(Bytes(want), Bytes(got), $"{p.Name} differs");
        }
    }

    private static byte[] Bytes(Tensor t) => t.DType switch
    {
        DType.Float32 => t.ToArray<float>().SelectMany(BitConverter.GetBytes).ToArray(),
        DType.Float64 => t.ToArray<double>().SelectMany(BitConverter.GetBytes).ToArray(),
        DType.Int64 => t.ToArray<long>().SelectMany(BitConverter.GetBytes).ToArray(),
        _ => throw new NotSupportedException($"parameter of {t.DType}"),
    };

    private static IAnsiConsole PlainConsole(StringWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(output),
    });

    private static (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrainCommand.Create(PlainConsole(output), error).Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
