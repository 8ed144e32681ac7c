using Graph.Core;

namespace Graph.Compiler.Lowering;

/// <summary>
/// Assigns every intermediate a 64-byte-aligned slice of one arena. Values that share a storage (views,
/// in-place outputs) get one slice; storages are placed as TFLite's arena planner places tensors: largest
/// first (ties: earliest first), each at the best-fitting gap among the slices whose lifetimes overlap its own.
/// A storage's lifetime is widened to whole fused ranges, since their steps run interleaved tile by tile, and to whole
/// convolution epilogue runs (<see cref="ConvolutionEpilogueRuns"/>), which run as one kernel.
/// </summary>
internal static class PlanMemory
{
    public static MemoryPlan Run(Schedule schedule, bool share)
    {
        Value[] timeline = schedule.Forward.Steps.Concat(schedule.Backward.SelectMany(b => b.Tape.Steps)).ToArray();
        int valueCount = timeline.Select(v => v.Id + 1).DefaultIfEmpty(0).Max();
        (int[] first, int[] last, int length, int[] tapeStarts) = LifetimeAnalysis.Run(schedule, valueCount);
        (int[] storageOf, int storageCount) = StorageSharing.Run(timeline, first, last, share);

        // A storage keeps its bytes for the whole fused range of any step that touches it (tiles interleave steps), and
        // for the whole of a convolution run the runtime executes as one kernel (it writes the last step's value while
        // reading the first step's inputs).
        IEnumerable<Tape> backward = schedule.Backward.Select(b => b.Tape);
        var kept = schedule.Outputs.Concat(schedule.ReadAfterStep).Concat(schedule.Backward.Select(b => b.Root));
        var spans = new TimelineSpans(schedule.Forward, backward, ConvolutionEpilogueRuns.Find(schedule.Forward, backward, kept));
        var storages = new Slot[storageCount];
        foreach (Value v in timeline)
        {
            int s = storageOf[v.Id];
            int from = spans.Start(first[v.Id]);
            int to = spans.End(last[v.Id]);
            storages[s] = storages[s] is { } slot
                ? slot with { First = Math.Min(slot.First, from), Last = Math.Max(slot.Last, to) }
                : new Slot(s, v.Type.ByteCount, from, to, 0);
        }

        var placed = new List<Slot>(storageCount);
        long arenaBytes = 0;
        foreach (Slot slot in storages.OrderByDescending(s => s.Bytes).ThenBy(s => s.First).ThenBy(s => s.Id))
        {
            long offset = share ? BestFit(placed, slot) : arenaBytes;
            placed.Add(slot with { Offset = offset });
            arenaBytes = Math.Max(arenaBytes, AlignUp(offset + slot.Bytes));
        }

        var offsets = placed.ToDictionary(s => s.Id, s => s.Offset);
        BufferAssignment[] buffers = timeline
            .OrderBy(v => v.Id)
            .Select(v => new BufferAssignment(v, offsets[storageOf[v.Id]], v.Type.ByteCount, first[v.Id], last[v.Id], storageOf[v.Id]))
            .ToArray();
        return new MemoryPlan(buffers, arenaBytes, LiveLowerBound(buffers, length), length, tapeStarts);
    }

    /// <summary>The smallest gap between time-overlapping slices that fits <paramref name="candidate"/>, or the end of them all.</summary>
    private static long BestFit(List<Slot> placed, Slot candidate)
    {
        long best = -1;
        long bestGap = long.MaxValue;
        long cursor = 0;
        foreach (Slot p in placed.Where(p => p.First <= candidate.Last && candidate.First <= p.Last).OrderBy(p => p.Offset))
        {
            long gap = p.Offset - cursor;
            if (gap >= candidate.Bytes && gap < bestGap)
            {
                (best, bestGap) = (cursor, gap);
            }

            cursor = Math.Max(cursor, AlignUp(p.Offset + p.Bytes));
        }

        return best >= 0 ? best : cursor;
    }

    /// <summary>The most bytes of intermediates alive at one step.</summary>
    private static long LiveLowerBound(BufferAssignment[] buffers, int length)
    {
        var delta = new long[length + 1];
        foreach (BufferAssignment b in buffers)
        {
            delta[b.First] += b.Bytes;
            delta[b.Last + 1] -= b.Bytes;
        }

        long live = 0;
        long max = 0;
        foreach (long d in delta)
        {
            live += d;
            max = Math.Max(max, live);
        }

        return max;
    }

    private static long AlignUp(long bytes) => (bytes + AlignedBuffer.Alignment - 1) / AlignedBuffer.Alignment * AlignedBuffer.Alignment;

    /// <summary>One storage: its size, its lifetime (the union of its values') and, once placed, its offset.</summary>
    private sealed record Slot(int Id, long Bytes, int First, int Last, long Offset);
}
