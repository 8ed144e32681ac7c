using Graph.Compiler;
using Graph.Core;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>Fused ranges are saved with their tapes (format 1.1), and a loader refuses ranges that cannot run tile by tile.</summary>
[TestClass]
public sealed class GraphFileFusionTests
{
    [TestMethod]
    public void FusedChain_RoundTripsItsFusedRanges()
    {
        (GraphBuilder g, _, Value loss) = TestModels.ElementwiseChain(30, 10_000);
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        string path = Path.Combine(Path.GetTempPath(), $"fused-{Guid.NewGuid():N}.graph");
        try
        {
            GraphFile.Save(compiled, path);
            CompiledGraph loaded = GraphFile.Load(path);

            Assert.IsNotEmpty(compiled.Forward.Fusions);
            CollectionAssert.AreEqual(compiled.Forward.Fusions.ToArray(), loaded.Forward.Fusions.ToArray());
            CollectionAssert.AreEqual(compiled.Backward[0].Tape.Fusions.ToArray(), loaded.Backward[0].Tape.Fusions.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void RangeOverAStepThatCannotTile_IsRefused()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(4, 4));
        Value y = x.Exp().Sum([1]).Exp();
        Tape tape = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }).Forward;
        var fusions = new (FusedRange, long)[] { (new FusedRange(0, 2), 42) };

        var e = Assert.Throws<GraphFormatException>(() => ScheduleReader.WithFusions(tape, fusions, "the forward fusions"));
        Assert.AreEqual(42, e.Offset);
        StringAssert.Contains(e.Reason, "cannot run tile by tile");
    }

    [TestMethod]
    public void OverlappingRanges_AreRefused()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(4));
        Value y = x.Exp().Tanh().Sigmoid();
        Tape tape = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }).Forward;
        var fusions = new (FusedRange, long)[] { (new FusedRange(0, 2), 10), (new FusedRange(1, 2), 20) };

        var e = Assert.Throws<GraphFormatException>(() => ScheduleReader.WithFusions(tape, fusions, "the forward fusions"));
        Assert.AreEqual(20, e.Offset);
    }
}
