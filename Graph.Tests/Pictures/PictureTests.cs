using System.Xml.Linq;
using Graph.Cli.Commands;
using Graph.Compiler;
using Graph.Core;
using Graph.Serialization;
using Graph.Tests.Serialization.GraphFiles;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Pictures;

/// <summary>
/// <see cref="CompiledGraph.ToDot"/>, <see cref="MemoryPlan.ToSvg"/> and the <c>graph dot</c> / <c>graph plan</c>
/// commands that write them. Graphviz itself parses the dot in <see cref="GraphvizTests"/>.
/// </summary>
[TestClass]
public sealed class PictureTests
{
    [TestMethod]
    public void Dot_HasAClusterPerTape_ANodePerStep_TheFusedRunsBoxed_AndTheInPlaceEdgesMarked()
    {
        CompiledGraph compiled = TrainingMlp();
        string dot = compiled.ToDot();

        StringAssert.StartsWith(dot, "digraph compiled {");
        Assert.AreEqual(dot.Count(c => c == '{'), dot.Count(c => c == '}'), "braces balance");
        StringAssert.Contains(dot, "subgraph cluster_forward {");
        StringAssert.Contains(dot, "subgraph cluster_backward_0 {");
        StringAssert.Contains(dot, "label=\"backward of loss\"");
        foreach (Value step in compiled.Forward.Steps.Concat(compiled.Backward[0].Tape.Steps))
        {
            StringAssert.Contains(dot, $"v{step.Id} [shape=box", $"no node for {step.Name}");
        }

        int fusedRuns = compiled.Forward.Fusions.Count + compiled.Backward[0].Tape.Fusions.Count;
        Assert.IsGreaterThan(0, fusedRuns, "the model has fused runs to draw");
        Assert.AreEqual(fusedRuns, CountOf(dot, "label=\"fused\""));
        Assert.IsGreaterThan(0, CountOf(dot, "label=\"in place\""), "the plan writes some step over its operand");
        Assert.AreEqual(compiled.Backward[0].Accumulations.Count, CountOf(dot, "label=\"grad +=\""));
    }

    [TestMethod]
    public void PlanSvg_IsWellFormed_WithOneRectanglePerPlannedBuffer_AndTheLowerBoundMarked()
    {
        CompiledGraph compiled = TrainingMlp();
        XDocument svg = XDocument.Parse(compiled.Memory.ToSvg());
        XNamespace ns = "http://www.w3.org/2000/svg";

        Assert.AreEqual(ns + "svg", svg.Root!.Name);
        XElement[] rectangles = svg.Descendants(ns + "rect").ToArray();
        Assert.HasCount(compiled.Memory.Buffers.Count, rectangles);
        CollectionAssert.AreEquivalent(
            compiled.Memory.Buffers.Select(b => b.Value.Name).ToArray(),
            rectangles.Select(r => r.Element(ns + "title")!.Value.Split(':')[0]).ToArray());
        Assert.HasCount(1, svg.Descendants(ns + "line").Where(l => (string?)l.Attribute("class") == "live-lower-bound"));
        Assert.HasCount(compiled.Memory.TapeStarts.Count, svg.Descendants(ns + "polygon"));
    }

    [TestMethod]
    public void Commands_WriteThePictures_OfASavedFile_AndRefuseADamagedOne()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mlp.graph");
        GraphFile.Save(GraphFileModels.Mlp(), path);
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.AreEqual(0, PictureCommand.Run(new FileInfo(path), null, batch: null, PictureCommand.Picture.Dot, output, error), error.ToString());
        StringAssert.StartsWith(output.ToString(), "digraph compiled {");

        string svgPath = directory.File("plan.svg");
        Assert.AreEqual(0, PictureCommand.Run(new FileInfo(path), new FileInfo(svgPath), batch: null, PictureCommand.Picture.Plan, output, error), error.ToString());
        Assert.AreEqual(GraphFile.Load(path).Memory.Buffers.Count, XDocument.Load(svgPath).Descendants(XName.Get("rect", "http://www.w3.org/2000/svg")).Count());

        string damaged = directory.File("damaged.graph");
        File.WriteAllBytes(damaged, File.ReadAllBytes(path)[..40]);
        Assert.AreEqual(1, PictureCommand.Run(new FileInfo(damaged), null, batch: null, PictureCommand.Picture.Dot, output, error));
        StringAssert.Contains(error.ToString(), "damaged.graph: ");
    }

    /// <summary>A small training graph with a fused elementwise run, in-place steps and accumulations.</summary>
    internal static CompiledGraph TrainingMlp()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(64, 24));
        Value w = g.Parameter("w", TestModels.Uniform(new Shape(24, 128), 0.5, seed: 1));
        Value b = g.Parameter("b", TestModels.Uniform(new Shape(128), 0.5, seed: 2));
        Value h = x.MatMul(w) + b;
        Value loss = (((h * 2.0) + 1.0).Tanh() * h).Sigmoid().Sum().Named("loss");
        return GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
