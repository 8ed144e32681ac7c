using System.CommandLine;
using Graph.Cli.Commands;
using Graph.Cli.Training;
using Graph.Core;
using Graph.Data;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.Data;
using Graph.Tests.Serialization.GraphFiles;
using Spectre.Console;

namespace Graph.Tests.Cli;

/// <summary><c>graph train</c> end to end: it reaches the bar on the digits, saves what it printed, and rejects bad options.</summary>
[TestClass]
public sealed class TrainCommandTests
{
    [TestMethod]
    public void Digits_DefaultSettings_ReachTheBar_AndTheSavedFileScoresWhatWasPrinted()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("digits.graph");
        (IAnsiConsole console, StringWriter output) = PlainConsole();

        TrainResult result = TrainCommand.Train(new TrainOptions { Output = path }, console);

        Assert.AreEqual(TrainingRecipe.Digits.Epochs, result.Epochs.Count);
        Assert.IsGreaterThanOrEqualTo(0.95, result.FinalTestAccuracy, output.ToString());
        Assert.AreEqual(path, result.OutputPath);
        string log = output.ToString();
        StringAssert.Contains(log, "digits: 1438 training and 359 test images");
        StringAssert.Contains(log, "epoch 1/3  lr 0.003  loss ");
        StringAssert.Contains(log, "epoch 3/3  lr 0.00075  loss ");
        StringAssert.Contains(log, $"final {100 * result.FinalTestAccuracy:F2}%");
        StringAssert.Contains(log, $"saved the final model to {path}");

        // The file is the evaluation session: loaded on its own, it scores every test image exactly as printed.
        using Session loaded = GraphFile.LoadSession(path);
        Dataset test = Digits.Load(TrainingRecipe.DigitsSplitSeed).Test;
        Assert.AreEqual(result.FinalTestAccuracy, new Evaluator(loaded, batchSize: 64).Accuracy(test));
    }

    [TestMethod]
    public void CommandLine_TrainsWithTheGivenOptions_AndExitsWithZero()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("one.graph");

        (int code, string output, string error) = Invoke("train", "--epochs", "1", "--batch-size", "100", "--optimizer", "sgd", "--lr", "0.05", "--seed", "3", "--threads", "1", "-o", path, "--quiet");

        Assert.AreEqual(0, code, error);
        Assert.AreEqual(string.Empty, error);
        StringAssert.Contains(output, "sgd lr 0.05, batch 100, 1 epochs, seed 3");
        StringAssert.Contains(output, "epoch 1/1  lr 0.05  loss ");
        Assert.AreEqual(Shape.Dynamic, GraphFile.Load(path).Find(ClassifierGraph.ImagesName).Shape[0], "the saved evaluation graph takes any batch");
    }

    [TestMethod]
    public void FashionMnist_TrainsFromTheIdxFilesInDataDir()
    {
        using var directory = new TemporaryDirectory();
        WriteFashionMnist(directory.Path, train: 48, test: 10);
        string path = directory.File("fashion.graph");

        (int code, string output, string error) = Invoke("train", "--dataset", "fashion-mnist", "--data", directory.Path, "--epochs", "1", "--batch-size", "16", "-o", path);

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "fashion-mnist: 48 training and 10 test images, 1×28×28, 10 classes");
        StringAssert.Contains(output, "epoch 1/1");
        Assert.IsTrue(File.Exists(path));
    }

    [TestMethod]
    [DataRow(new[] { "--epochs", "0" }, "--epochs must be at least 1; got 0.")]
    [DataRow(new[] { "--batch-size", "-4" }, "--batch-size must be at least 1; got -4.")]
    [DataRow(new[] { "--threads", "0" }, "--threads must be at least 1; got 0.")]
    [DataRow(new[] { "--lr", "-0.5" }, "--lr must be a positive number; got -0.5.")]
    [DataRow(new[] { "--epochs", "many" }, "many")]
    [DataRow(new[] { "--dataset", "cifar10" }, "cifar10")]
    [DataRow(new[] { "--optimizer", "rmsprop" }, "rmsprop")]
    [DataRow(new[] { "--data", "/tmp" }, "--data applies to fashion-mnist only")]
    [DataRow(new[] { "--batch-size", "5000" }, "--batch-size 5000 is more than the 1438 training examples.")]
    [DataRow(new[] { "--output", "/nonexistent-graph-folder/model.graph" }, "--output: the folder '/nonexistent-graph-folder' does not exist.")]
    public void BadOption_SaysWhatIsWrong_AndExitsWithOne(string[] options, string expected)
    {
        (int code, string output, string error) = Invoke(["train", .. options]);

        Assert.AreEqual(1, code);
        StringAssert.Contains(error, expected);
        Assert.DoesNotContain("epoch 1/", output);
    }

    [TestMethod]
    public void MissingFashionMnist_SaysHowToInstallIt_AndExitsWithOne()
    {
        using var directory = new TemporaryDirectory();

        (int code, _, string error) = Invoke("train", "--dataset", "fashion-mnist", "--data", directory.Path);

        Assert.AreEqual(1, code);
        StringAssert.StartsWith(error, "graph train: Fashion-MNIST is not there");
        StringAssert.Contains(error, "apt-get install dataset-fashion-mnist");
    }

    [TestMethod]
    public void MalformedIdxFile_IsReported_AndExitsWithOne()
    {
        using var directory = new TemporaryDirectory();
        WriteFashionMnist(directory.Path, train: 4, test: 2);
        File.WriteAllBytes(Path.Combine(directory.Path, "t10k-labels-idx1-ubyte.gz"), IdxFiles.Gzip([0, 0, 8, 1, 0]));

        (int code, _, string error) = Invoke("train", "--dataset", "fashion-mnist", "--data", directory.Path);

        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "Invalid IDX file");
    }

    private static (int Code, string Output, string Error) Invoke(params string[] args)
    {
        (IAnsiConsole console, StringWriter output) = PlainConsole();
        var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        int code = TrainCommand.Create(console, error).Parse(args).Invoke(configuration);
        return (code, output.ToString(), error.ToString());
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

    /// <summary>Fashion-MNIST's four gzipped IDX files with random 28 × 28 images and labels.</summary>
    private static void WriteFashionMnist(string directory, int train, int test)
    {
        var random = new Random(7);
        foreach ((string images, string labels, int count) in new[] { ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", train), ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", test) })
        {
            var pixels = new byte[count * 28 * 28];
            random.NextBytes(pixels);
            byte[] classes = Enumerable.Range(0, count).Select(_ => (byte)random.Next(FashionMnist.Classes)).ToArray();
            File.WriteAllBytes(Path.Combine(directory, images + ".gz"), IdxFiles.Gzip(IdxFiles.UnsignedBytes([count, 28, 28], pixels)));
            File.WriteAllBytes(Path.Combine(directory, labels + ".gz"), IdxFiles.Gzip(IdxFiles.UnsignedBytes([count], classes)));
        }
    }
}
