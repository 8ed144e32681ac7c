
namespace Graph.Core.Planning;

/// <summary>
/// Assigns every intermediate a 64-byte-aligned slice of one arena. Values that share a storage (views,
/// in-place outputs) get one slice. A storage's lifetime is widened to whole fused ranges, since their steps run
/// interleaved tile by tile, and to whole epilogue runs (<see cref="EpilogueRuns"/>), which
/// run as one kernel. Graphs of up to <see cref="GreedyLimit"/> storages are placed greedily by size (TFLite's
/// planner, the tightest packing, quadratic); larger ones by one sweep over the timeline, O(n log n), so that
/// compiling a graph of 100k values takes seconds, not minutes.
/// </summary>
internal static class PlanMemory
{
    /// <summary>
    /// The most storages placed by <see cref="GreedyBySizePlacement"/>: at this size its quadratic scan is about 8
    /// million overlap checks, tens of milliseconds; ResNet-18's training graph (347 storages) is well below it.
    /// </summary>
    public const int GreedyLimit = 4096;

    public static MemoryPlan Run(Schedule schedule, bool share)
    {
        // A storage keeps its bytes for the whole fused range of any step that touches it (tiles interleave steps), and
        // for the whole of a convolution run the runtime executes as one kernel (it writes the last step's value while
        // reading the first step's inputs).
        var kept = schedule.Outputs.Concat(schedule.ReadAfterStep).Concat(schedule.Backward.Select(b => b.Root));
        var timeline = new Timeline(schedule.Forward, schedule.Backward, EpilogueRuns.Find(schedule.Forward, schedule.Backward.Select(b => b.Tape), kept));
        Value[] steps = timeline.Steps().Select(s => s.Value).ToArray();
        // Ids up to the largest any step, accumulation or later reader names: a backward tape may compute nothing
        // (a root that is a sum of its leaves accumulates its seed as it is), and the seed's id is past every step's.
        int valueCount = steps
            .Concat(schedule.Backward.SelectMany(b => b.Accumulations.Select(a => a.Gradient).Append(b.Seed)))
            .Concat(schedule.ReadAfterStep)
            .Select(v => v.Id + 1)
            .DefaultIfEmpty(0)
            .Max();
        (int[] first, int[] last) = LifetimeAnalysis.Run(schedule, timeline, valueCount);
        (int[] storageOf, int storageCount) = StorageSharing.Run(steps, first, last, schedule.ReadAfterStep, share);

        var storages = new StorageSlot?[storageCount];
        foreach (Value v in steps)
        {
            int s = storageOf[v.Id];
            int from = timeline.SpanStart(first[v.Id]);
            int to = timeline.SpanEnd(last[v.Id]);
            storages[s] = storages[s] is { } slot
                ? slot with { First = Math.Min(slot.First, from), Last = Math.Max(slot.Last, to) }
                : new StorageSlot(s, v.Type.ByteCount, from, to);
        }

        StorageSlot[] slots = storages.Select(s => s!.Value).ToArray();
        (long[] offsets, long arenaBytes) = !share ? Consecutive(slots)
            : slots.Length <= GreedyLimit ? GreedyBySizePlacement.Place(slots)
            : SweepPlacement.Place(slots);

        BufferAssignment[] buffers = steps
            .OrderBy(v => v.Id)
            .Select(v => new BufferAssignment(v, offsets[storageOf[v.Id]], v.Type.ByteCount, first[v.Id], last[v.Id], storageOf[v.Id]))
            .ToArray();
        return new MemoryPlan(buffers, arenaBytes, LiveLowerBound(buffers, timeline.Length), timeline.Length, timeline.TapeStarts);
    }

    /// <summary>Every storage in bytes of its own, in the order of the greedy planner (the unplanned reference).</summary>
    private static (long[] Offsets, long ArenaBytes) Consecutive(StorageSlot[] slots)
    {
        var offsets = new long[slots.Length];
        long arenaBytes = 0;
        foreach (StorageSlot slot in slots.OrderByDescending(s => s.Bytes).ThenBy(s => s.First).ThenBy(s => s.Id))
        {
            offsets[slot.Id] = arenaBytes;
            arenaBytes = Alignment.Up(arenaBytes + slot.Bytes);
        }

        return (offsets, arenaBytes);
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
}
