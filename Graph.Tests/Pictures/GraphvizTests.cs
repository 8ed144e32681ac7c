using System.Diagnostics;
using System.Xml.Linq;
using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;

namespace Graph.Tests.Pictures;

/// <summary>
/// Graphviz's own parser reads <see cref="CompiledGraph.ToDot"/>: <c>dot -Tsvg</c> of a small network's and of a
/// residual block's training graphs succeeds and draws well-formed SVG. The category needs Graphviz, which CI installs
/// (tools/install_graphviz.sh) and runs with Graph.Tests/graphviz.runsettings; the default run leaves it out.
/// </summary>
[TestClass]
[TestCategory("Graphviz")]
public sealed class GraphvizTests
{
    [TestMethod]
    public void Dot_OfAnMlpTrainingGraph_IsDrawnByGraphviz() => AssertGraphvizDraws(PictureTests.TrainingMlp());

    [TestMethod]
    public void Dot_OfAResidualBlockTrainingGraph_IsDrawnByGraphviz()
    {
        // ResNet-18's BasicBlock with its downsample branch: convolutions, batch norms in training mode, a residual
        // add and their backward ops. (The whole of ResNet-18, some 1,500 nodes, takes dot minutes to lay out.)
        var g = new GraphBuilder();
        var block = new BasicBlock(new ModuleBuilder(g, seed: 0, training: true), "", inPlanes: 4, planes: 8, stride: 2);
        Value loss = block.Forward(g.Input("x", new Shape(2, 4, 8, 8))).Sum();
        AssertGraphvizDraws(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] }));
    }

    private static void AssertGraphvizDraws(CompiledGraph compiled)
    {
        var start = new ProcessStartInfo("dot", "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process dot = Process.Start(start) ?? throw new AssertFailedException("Graphviz's dot did not start; install it with tools/install_graphviz.sh.");
        Task<string> svg = dot.StandardOutput.ReadToEndAsync();
        Task<string> error = dot.StandardError.ReadToEndAsync();
        dot.StandardInput.Write(compiled.ToDot());
        dot.StandardInput.Close();
        dot.WaitForExit();
        Assert.AreEqual(0, dot.ExitCode, $"dot refused the graph: {error.Result}");
        Assert.AreEqual(string.Empty, error.Result.Trim(), "dot warned");
        XDocument drawing = XDocument.Parse(svg.Result);
        Assert.AreEqual("svg", drawing.Root!.Name.LocalName);
        Assert.IsGreaterThan(compiled.Forward.Steps.Count, drawing.Descendants().Count(e => e.Name.LocalName == "g" && (string?)e.Attribute("class") == "node"));
    }
}
