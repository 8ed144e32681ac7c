using System.Xml.Linq;
using Graph.Cli.Commands;
using Graph.Core;
using Graph.Serialization;
using Graph.Tests.Runtime.Dynamic;
using Graph.Tests.Serialization.GraphFiles;
using Spectre.Console;

namespace Graph.Tests.Pictures;

/// <summary>
/// <c>--batch N</c> of <c>graph plan</c>, <c>graph dot</c> and <c>graph inspect</c>: a model with dynamic dimensions
/// (as <c>graph train</c> saves it) is planned at batch N; without it, the commands say the plan depends on the batch.
/// </summary>
[TestClass]
public sealed class DynamicModelPictureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [TestMethod]
    public void Plan_AtABatch_DrawsOneRectanglePerBufferOfThatBatchsPlan()
    {
        using var directory = new TemporaryDirectory();
        string path = SaveDynamicMlp(directory);
        string svgPath = directory.File("plan.svg");

        (int code, _, string error) = Picture(PictureCommand.CreatePlan, "plan", path, "--batch", "8", "-o", svgPath);

        Assert.AreEqual(0, code, error);
        MemoryPlan expected = GraphFile.Load(path).ForBatch(8).Memory;
        Assert.IsNotEmpty(expected.Buffers);
        XElement[] rectangles = XDocument.Load(svgPath).Descendants(Svg + "rect").ToArray();
        Assert.HasCount(expected.Buffers.Count, rectangles);
        CollectionAssert.AreEquivalent(
            expected.Buffers.Select(b => b.Value.Name).ToArray(),
            rectangles.Select(r => r.Element(Svg + "title")!.Value.Split(':')[0]).ToArray());
    }

    [TestMethod]
    public void Plan_WithoutABatch_SaysThePlanDependsOnTheBatch_AndWritesNothing()
    {
        using var directory = new TemporaryDirectory();
        string path = SaveDynamicMlp(directory);
        string svgPath = directory.File("plan.svg");

        (int code, _, string error) = Picture(PictureCommand.CreatePlan, "plan", path, "-o", svgPath);

        Assert.AreEqual(1, code);
        Assert.AreEqual("mlp.graph: the model has dynamic dimensions ('x' [-1, 12], 'labels' [-1]), so its memory plan depends on the batch size: pass --batch N to plan batch N.", error.Trim());
        Assert.IsFalse(File.Exists(svgPath));
    }

    [TestMethod]
    public void Dot_AtABatch_DrawsTheConcreteShapes_AndWithoutOne_NotesThatThePlanIsMissing()
    {
        using var directory = new TemporaryDirectory();
        string path = SaveDynamicMlp(directory);

        (int code, string dot, string error) = Picture(PictureCommand.CreateDot, "dot", path, "--batch", "8");
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(string.Empty, error);
        Assert.AreEqual(GraphFile.Load(path).ForBatch(8).ToDot(), dot);
        StringAssert.Contains(dot, "[8, 12]");

        (code, dot, error) = Picture(PictureCommand.CreateDot, "dot", path);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(dot, "[-1, 12]");
        StringAssert.StartsWith(error, "note: mlp.graph: the model has dynamic dimensions");
        StringAssert.Contains(error, "pass --batch N");
    }

    [TestMethod]
    public void Inspect_AtABatch_PrintsThatBatchsTimeline_AndWithoutOne_SaysThePlanDependsOnTheBatch()
    {
        using var directory = new TemporaryDirectory();
        string path = SaveDynamicMlp(directory);

        (int code, string output, string error) = Inspect(path, "--batch", "8");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "memory timeline at batch 8:");
        StringAssert.Contains(output, GraphFile.Load(path).ForBatch(8).Memory.Timeline());

        (code, output, error) = Inspect(path);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "memory timeline:" + Environment.NewLine + "  mlp.graph: the model has dynamic dimensions ('x' [-1, 12], 'labels' [-1]), so its memory plan depends on the batch size: pass --batch N to plan batch N.");
    }

    [TestMethod]
    public void Batch_OfAStaticModel_OrBelowOne_IsRefused()
    {
        using var directory = new TemporaryDirectory();
        string dynamicPath = SaveDynamicMlp(directory);
        string staticPath = directory.File("static.graph");
        GraphFile.Save(DynamicModels.Mlp(8).Graph, staticPath);

        (int code, _, string error) = Picture(PictureCommand.CreatePlan, "plan", staticPath, "--batch", "8", "-o", directory.File("plan.svg"));
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "static.graph: the model has no dynamic dimension");

        (code, _, error) = Inspect(dynamicPath, "--batch", "0");
        Assert.AreEqual(1, code);
        Assert.AreEqual("--batch: the batch size must be 1 or more, not 0.", error.Trim());
    }

    private static string SaveDynamicMlp(TemporaryDirectory directory)
    {
        string path = directory.File("mlp.graph");
        GraphFile.Save(DynamicModels.Mlp(-1).Graph, path);
        return path;
    }

    private static (int Code, string Output, string Error) Picture(Func<TextWriter, TextWriter, System.CommandLine.Command> create, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = create(output, error).Parse(args).Invoke();
        return (code, output.ToString(), error.ToString());
    }

    private static (int Code, string Output, string Error) Inspect(string path, params string[] options)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        IAnsiConsole console = CliConsole.Create(output, isTerminal: false, noColor: false);
        int code = InspectCommand.Create(console, error).Parse(["inspect", path, .. options]).Invoke();
        return (code, output.ToString(), error.ToString());
    }
}
