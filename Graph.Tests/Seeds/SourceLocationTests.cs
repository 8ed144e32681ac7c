using System.Runtime.CompilerServices;
using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Serialization;
using Graph.Tests.Serialization.GraphFiles;

namespace Graph.Tests.Seeds;

/// <summary>
/// <see cref="Value.Source"/>: the user's line on every value the builder surface makes, "backward of op at line" on
/// the gradient values, and the line in build errors, run-time errors, <c>compiled.ToString()</c> and saved files.
/// </summary>
[TestClass]
public sealed class SourceLocationTests
{
    [TestMethod]
    public void BuilderMethods_OpsFunctions_AndLeaves_RecordTheCallersLine()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(2, 3)); int inputLine = Here();
        Value w = g.Parameter("w", Tensor.Ones(new Shape(4, 3))); int parameterLine = Here();
        Value y = Ops.Linear(x, w, null).Tanh(); int linearLine = Here();

        Assert.AreEqual($"SourceLocationTests.cs:{inputLine}", x.Source);
        Assert.AreEqual($"SourceLocationTests.cs:{parameterLine}", w.Source);
        Assert.AreEqual($"SourceLocationTests.cs:{linearLine}", y.Source);
        Assert.AreEqual($"SourceLocationTests.cs:{linearLine}", y.Inputs[0].Source, "the matmul Ops.Linear builds cites the user's line, not Ops'");
    }

    [TestMethod]
    public void Modules_RecordTheLineThatUsesThem()
    {
        var g = new GraphBuilder();
        var linear = new Graph.Core.Modules.Linear(new Graph.Core.Modules.ModuleBuilder(g), "fc", 3, 2);
        Value y = linear.Forward(g.Input("x", new Shape(4, 3))); int line = Here();
        Assert.AreEqual($"SourceLocationTests.cs:{line}", y.Source);
    }

    [TestMethod]
    public void GradientValues_CiteTheForwardValueTheyDifferentiate()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 2f]));
        Value y = x.Exp(); int expLine = Here();
        Value loss = y.Sum().Named("loss");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });

        Value[] backward = compiled.Backward[0].Tape.Steps.ToArray();
        Assert.IsTrue(backward.Any(v => v.Source == $"backward of exp at SourceLocationTests.cs:{expLine}"), string.Join("\n", backward.Select(v => $"{v.Name} {v.Source}")));
        StringAssert.Contains(compiled.ToString(), $"@ backward of exp at SourceLocationTests.cs:{expLine}");
        StringAssert.Contains(compiled.ToString(), $"= exp(x)  ExpBackward  @ SourceLocationTests.cs:{expLine}");
    }

    [TestMethod]
    public void BuildAndRunTimeErrors_NameTheLine()
    {
        var g = new GraphBuilder();
        Value a = g.Input("a", new Shape(2, 3));
        Value b = g.Input("b", new Shape(4, 5));
        int line = Here() + 1;
        var e = Assert.ThrowsExactly<GraphBuildException>(() => a.MatMul(b));
        StringAssert.Contains(e.Message, $"at SourceLocationTests.cs:{line}");

        var h = new GraphBuilder();
        Value logits = h.Input("logits", new Shape(2, 3));
        Value labels = h.Input("labels", new Shape(2), DType.Int64);
        Value loss = Ops.NllLoss(Ops.LogSoftmax(logits, 1), labels); int lossLine = Here();
        using var session = new Session(GraphCompiler.Compile(h.Build(), new CompileOptions { Outputs = [loss] }));
        session.SetInput(logits, Tensor.Zeros(new Shape(2, 3)));
        session.SetInput(labels, Tensor.FromArray([0L, 7L]));
        var run = Assert.ThrowsExactly<InvalidOperationException>(session.Forward);
        StringAssert.Contains(run.Message, $"at SourceLocationTests.cs:{lossLine}");
        StringAssert.Contains(run.Message, "target 7");
    }

    [TestMethod]
    public void SavedFiles_CarryTheLocations()
    {
        var g = new GraphBuilder();
        Value x = g.Parameter("x", Tensor.FromArray([1f, 2f]));
        Value loss = x.Exp().Sum().Named("loss"); int line = Here();
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        using var directory = new TemporaryDirectory();
        string path = directory.File("q.graph");
        GraphFile.Save(compiled, path);

        CompiledGraph loaded = GraphFile.Load(path);
        Assert.AreEqual($"SourceLocationTests.cs:{line}", loaded.Find("loss").Source);
        CollectionAssert.AreEqual(compiled.Graph.Values.Select(v => v.Source).ToArray(), loaded.Graph.Values.Select(v => v.Source).ToArray());
    }

    private static int Here([CallerLineNumber] int line = 0) => line;
}
