using Graph.Core;

namespace Graph.Compiler.Lowering;

/// <summary>
/// Assigns every intermediate a 64-byte-aligned slice of one arena, as TFLite's arena planner does: largest
/// first (ties: earliest first), each at the best-fitting gap among the slices whose lifetimes overlap its own.
/// </summary>
internal static class PlanMemory
{
    public static MemoryPlan Run(Schedule schedule)
    {
        int valueCount = schedule.Forward.Steps.Concat(schedule.Backward.SelectMany(b => b.Tape.Steps))
            .Select(v => v.Id + 1).DefaultIfEmpty(0).Max();
        (int[] first, int[] last, int length, int[] tapeStarts) = LifetimeAnalysis.Run(schedule, valueCount);

        Value[] intermediates = schedule.Forward.Steps.Concat(schedule.Backward.SelectMany(b => b.Tape.Steps)).ToArray();
        var order = intermediates
            .OrderByDescending(v => v.Type.ByteCount)
            .ThenBy(v => first[v.Id])
            .ThenBy(v => v.Id)
            .ToArray();

        var placed = new List<BufferAssignment>(order.Length);
        long arenaBytes = 0;
        foreach (Value v in order)
        {
            var candidate = new BufferAssignment(v, 0, v.Type.ByteCount, first[v.Id], last[v.Id]);
            long offset = BestFit(placed, candidate);
            placed.Add(candidate with { Offset = offset });
            arenaBytes = Math.Max(arenaBytes, AlignUp(offset + candidate.Bytes));
        }

        return new MemoryPlan(placed.OrderBy(b => b.Value.Id).ToArray(), arenaBytes, LiveLowerBound(placed, length), length, tapeStarts);
    }

    /// <summary>The smallest gap between time-overlapping slices that fits <paramref name="candidate"/>, or the end of them all.</summary>
    private static long BestFit(List<BufferAssignment> placed, BufferAssignment candidate)
    {
        long best = -1;
        long bestGap = long.MaxValue;
        long cursor = 0;
        foreach (BufferAssignment p in placed.Where(p => p.OverlapsInTime(candidate)).OrderBy(p => p.Offset))
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

    /// <summary>The most bytes alive at one step.</summary>
    private static long LiveLowerBound(List<BufferAssignment> buffers, int length)
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
}
