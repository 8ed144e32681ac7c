using Graph.Compiler;
using Graph.Core;

namespace Graph.Tests.Memory;

/// <summary>
/// The verifier's sweep over lifetimes finds exactly the overlaps a comparison of every pair of buffers finds: on
/// random graphs' plans with one storage moved to a random aligned offset, both say the same whether two storages
/// alive in one span share a byte.
/// </summary>
[TestClass]
public sealed class VerifierSweepTests
{
    [TestMethod]
    public void MovedStorages_AreCaughtExactlyWhenSomePairOverlaps()
    {
        var random = new Random(20_261_202);
        int overlapping = 0;
        int sound = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            (GraphBuilder g, _, Value loss) = RandomGraphs.Create(random.Next(), random.Next(5, 40));
            CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
            CompiledGraph moved = MoveOneStorage(compiled, random);
            bool expected = PairwiseOverlap(moved);
            string? defect = MemoryPlanVerifier.FindDefect(moved);
            Assert.AreEqual(expected, defect?.Contains("share bytes while both are alive", StringComparison.Ordinal) ?? false, $"trial {trial}: {defect ?? "no defect"}");
            Assert.IsTrue(expected || defect is null, $"trial {trial}: a plan without overlaps reported '{defect}'");
            if (expected)
            {
                overlapping++;
            }
            else
            {
                sound++;
            }
        }

        // Both kinds must be common, or the comparison says little.
        Assert.IsTrue(overlapping > 40 && sound > 40, $"{overlapping} overlapping and {sound} sound plans");
    }

    // Every member of one random storage moves to the same random aligned offset inside the arena.
    private static CompiledGraph MoveOneStorage(CompiledGraph compiled, Random random)
    {
        MemoryPlan plan = compiled.Memory;
        int[] storages = plan.Buffers.Select(b => b.Storage).Distinct().ToArray();
        int storage = storages[random.Next(storages.Length)];
        long bytes = plan.Buffers.Where(b => b.Storage == storage).Max(b => b.Bytes);
        long slots = Math.Max(1, (plan.ArenaBytes - bytes) / AlignedBuffer.Alignment + 1);
        long offset = random.NextInt64(slots) * AlignedBuffer.Alignment;
        BufferAssignment[] buffers = plan.Buffers.Select(b => b.Storage == storage ? b with { Offset = offset } : b).ToArray();
        var movedPlan = new MemoryPlan(buffers, plan.ArenaBytes, plan.LiveLowerBoundBytes, plan.TimelineLength, plan.TapeStarts);
        return new CompiledGraph(compiled.Graph, compiled.Outputs, compiled.RetainGrad, compiled.Forward, compiled.Backward, movedPlan);
    }

    // The reference: any two buffers of different storages that share a byte while both are alive in one span.
    private static bool PairwiseOverlap(CompiledGraph compiled)
    {
        var timeline = Timeline.Of(compiled);
        IReadOnlyList<BufferAssignment> buffers = compiled.Memory.Buffers;
        for (int i = 0; i < buffers.Count; i++)
        {
            for (int j = i + 1; j < buffers.Count; j++)
            {
                BufferAssignment a = buffers[i];
                BufferAssignment b = buffers[j];
                bool inTime = timeline.SpanStart(a.First) <= timeline.SpanEnd(b.Last) && timeline.SpanStart(b.First) <= timeline.SpanEnd(a.Last);
                if (a.Storage != b.Storage && a.OverlapsInMemory(b) && inTime)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
