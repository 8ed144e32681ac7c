using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>
/// Checks a memory plan against its tapes without the compiler: every intermediate has one aligned slice of
/// its size inside the arena, lives at least from the step that writes it to the last step that reads it,
/// and shares bytes with a value alive in the same step or fused range only as a view or an in-place update of it. Loaded
/// files are checked with it before a session trusts their offsets; tests check every plan with it.
/// </summary>
internal static class MemoryPlanVerifier
{
    /// <summary>The first defect of <paramref name="graph"/>'s plan, or null when the plan is sound.</summary>
    public static string? FindDefect(CompiledGraph graph)
    {
        MemoryPlan plan = graph.Memory;
        var timeline = Timeline.Of(graph);
        if (plan.TimelineLength != timeline.Length)
        {
            return $"the timeline has {plan.TimelineLength} steps but the tapes have {timeline.Length}";
        }

        if (graph.IsDynamic)
        {
            // Sizes are fixed per session; the plans a session makes for them come from the planner, not from a file.
            return plan.Buffers.Count == 0 && plan.ArenaBytes == 0 ? null : "a graph with dynamic dimensions has buffers, but its plans are made per concrete size";
        }

        var byValue = new Dictionary<int, BufferAssignment>();
        foreach (BufferAssignment b in plan.Buffers)
        {
            if (!byValue.TryAdd(b.Value.Id, b))
            {
                return $"'{b.Value.Name}' has two buffers";
            }

            if (b.Offset < 0 || b.Offset % AlignedBuffer.Alignment != 0 || b.Bytes != b.Value.Type.ByteCount || b.Offset + b.Bytes > plan.ArenaBytes)
            {
                return $"the buffer of '{b.Value.Name}' ({b.Bytes} B at {b.Offset}) is misaligned, of the wrong size for {b.Value.Type}, or outside the {plan.ArenaBytes} B arena";
            }
        }

        // Outputs, roots, retained values and forward values a backward tape reads must survive the step.
        var forwardIds = graph.Forward.Steps.Select(v => v.Id).ToHashSet();
        var readAfterStep = graph.Outputs.Concat(graph.RetainGrad).Concat(graph.Backward.Select(b => b.Root)).Select(v => v.Id)
            .Concat(graph.Backward.SelectMany(b => b.Tape.Steps).SelectMany(v => v.Inputs).Select(v => v.Id).Where(forwardIds.Contains))
            .ToHashSet();
        foreach ((Value v, int at) in timeline.Steps())
        {
            if (!byValue.TryGetValue(v.Id, out BufferAssignment b))
            {
                return $"'{v.Name}' is computed at step {at} but has no buffer";
            }

            if (b.First != at)
            {
                return $"'{v.Name}' is written at step {at} but its buffer's life starts at {b.First}";
            }

            foreach (Value input in v.Inputs)
            {
                if (byValue.TryGetValue(input.Id, out BufferAssignment read) && read.Last < at)
                {
                    return $"'{input.Name}' is read at step {at} but its buffer's life ends at {read.Last}";
                }
            }
        }

        foreach ((GradientAccumulation a, int at) in timeline.Accumulations())
        {
            if (byValue.TryGetValue(a.Gradient.Id, out BufferAssignment g) && g.Last < at)
            {
                return $"the gradient '{a.Gradient.Name}' is accumulated at step {at} but its buffer's life ends at {g.Last}";
            }
        }

        foreach (int id in readAfterStep)
        {
            if (byValue.TryGetValue(id, out BufferAssignment b) && b.Last != timeline.End)
            {
                return $"'{b.Value.Name}' is read after the step but its buffer's life ends at {b.Last}, before the end of the timeline ({timeline.End})";
            }
        }

        return FindSharingDefect(plan.Buffers, byValue, timeline);
    }

    private static string? FindSharingDefect(IReadOnlyList<BufferAssignment> buffers, Dictionary<int, BufferAssignment> byValue, Timeline timeline) =>
        FindOverlapDefect(buffers, timeline) ?? FindMembershipDefect(buffers, byValue);

    // Storages that share bytes must not be alive in one span: steps of a fused range run interleaved. Each storage
    // is one slice of the arena over one stretch of the timeline; a sweep over the timeline keeps the live slices
    // disjoint, so every check is a neighbour lookup and the whole is O(n log n) however many values share a slice.
    private static string? FindOverlapDefect(IReadOnlyList<BufferAssignment> buffers, Timeline timeline)
    {
        var storages = new Dictionary<int, (long Offset, long End, int Start, int Stop, BufferAssignment Member)>();
        foreach (BufferAssignment b in buffers)
        {
            if (b.Bytes == 0)
            {
                continue; // an empty tensor shares no byte with anything
            }

            (long Offset, long End, int Start, int Stop, BufferAssignment Member) s = (b.Offset, b.Offset + b.Bytes, timeline.SpanStart(b.First), timeline.SpanEnd(b.Last), b);
            if (storages.TryGetValue(b.Storage, out var known))
            {
                s = (Math.Min(known.Offset, s.Offset), Math.Max(known.End, s.End), Math.Min(known.Start, s.Start), Math.Max(known.Stop, s.Stop), known.Member);
            }

            storages[b.Storage] = s;
        }

        var byStart = storages.OrderBy(s => s.Value.Start).ToArray();
        var live = new ActiveSlices(storages.Values.Select(s => s.Offset));
        var ending = new PriorityQueue<(long Offset, int Storage), int>();
        foreach ((int storage, var s) in byStart)
        {
            // Closed step ranges: a storage whose last step precedes this one's first has released its bytes.
            while (ending.TryPeek(out var done, out int stop) && stop < s.Start)
            {
                ending.Dequeue();
                live.Remove(done.Offset);
            }

            if (live.TryAdd(s.Offset, s.End, storage) is int other)
            {
                return $"'{storages[other].Member.Value.Name}' and '{s.Member.Value.Name}' share bytes while both are alive";
            }

            ending.Enqueue((s.Offset, storage), s.Stop);
        }

        return null;
    }

    private static string? FindMembershipDefect(IReadOnlyList<BufferAssignment> buffers, Dictionary<int, BufferAssignment> byValue)
    {
        foreach (IGrouping<int, BufferAssignment> storage in buffers.GroupBy(b => b.Storage))
        {
            BufferAssignment[] members = storage.OrderBy(b => b.First).ToArray();
            int lastOfEarlier = members.Length > 0 ? members[0].Last : 0; // the latest step any earlier member is read at
            for (int i = 1; i < members.Length; i++)
            {
                BufferAssignment m = members[i];
                Value v = m.Value;
                bool continuesStorage = v.Inputs.Count > 0 && byValue.TryGetValue(v.Input(0).Id, out BufferAssignment source) && source.Storage == m.Storage;
                bool isView = v.Op!.Traits.HasFlag(OpTraits.Alias);
                bool isInPlace = v.Op.Traits.HasFlag(OpTraits.ElementwiseInPlace) && v.Input(0).Type == v.Type && lastOfEarlier <= m.First;
                if (m.Offset != members[0].Offset || !continuesStorage || !(isView || isInPlace))
                {
                    return $"'{v.Name}' shares storage {m.Storage} without being a view or an in-place update of it";
                }

                lastOfEarlier = Math.Max(lastOfEarlier, m.Last);
            }
        }

        return null;
    }
}
