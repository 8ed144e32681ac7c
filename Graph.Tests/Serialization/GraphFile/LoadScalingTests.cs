using System.Diagnostics;
using Graph.Compiler;
using Graph.Core;
using Graph.Serialization;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// Loading time grows about linearly with the graph. A long in-place chain puts every buffer in one storage at
/// offset 0, the case that made the plan's verification compare all pairs (74 s for 64k steps). Asserted as a ratio
/// between two sizes, so that a slow or busy machine cannot fail it while a quadratic loader still does (100×).
/// </summary>
[TestClass]
public sealed class LoadScalingTests
{
    [TestMethod]
    public void LoadingAnInPlaceChain_ScalesAboutLinearly()
    {
        using var directory = new TemporaryDirectory();
        string small = Save(directory, 10_000);
        string large = Save(directory, 100_000);
        GraphFile.Load(small); // JIT and caches warm before anything is timed

        double smallSeconds = BestOf(3, small);
        double largeSeconds = BestOf(2, large);
        double ratio = largeSeconds / smallSeconds;
        Console.WriteLine($"load: 10k steps {smallSeconds:F3} s, 100k steps {largeSeconds:F3} s, ratio {ratio:F1}");
        Assert.IsTrue(ratio <= 20, $"loading 100k steps took {largeSeconds:F3} s and 10k steps {smallSeconds:F3} s: {ratio:F1}x for 10x the steps");
    }

    private static string Save(TemporaryDirectory directory, int steps)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(16));
        Value y = x;
        for (int i = 0; i < steps; i++)
        {
            y = -y;
        }

        y.Named("y");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] });
        Assert.AreEqual(1, compiled.Memory.Buffers.Select(b => b.Storage).Distinct().Count(), "the chain is meant to run in one storage");
        string path = directory.File($"chain{steps}.graph");
        GraphFile.Save(compiled, path);
        return path;
    }

    private static double BestOf(int runs, string path)
    {
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            CompiledGraph loaded = GraphFile.Load(path);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            GC.KeepAlive(loaded);
        }

        return best;
    }
}
