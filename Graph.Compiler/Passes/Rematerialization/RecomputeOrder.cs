using Graph.Core;

namespace Graph.Compiler.Passes.Rematerialization;

/// <summary>
/// Which forward values to recompute, as groups: each group is recomputed together during backward from values kept
/// alive (saved) and leaves, its copies shared within the group only, so one group's copies live only around the
/// backward steps that read them. <see cref="ByCostModel"/> is the pass's choice; <see cref="SqrtCheckpoints"/> is
/// Chen et al. 2016's √n checkpointing, the baseline it is measured against.
/// </summary>
internal static class RecomputeOrder
{
    /// <summary>
    /// Greedy by bytes saved per FLOP recomputed. Each pick stops saving one value v: v and the forward values it is
    /// computed from that nothing saves (its closure, back to saved values and leaves) become a new group. It saves v's
    /// bytes, less those of pinned operands that must now be saved. It costs the closure's FLOPs once for the new group
    /// and once more for every earlier group that was computed from v, since each now recomputes v's closure too (a
    /// group never reads another group's copies, which would keep them alive across both). So values far from any
    /// saved value grow dear as their neighbours are recomputed, and the saved values left are the checkpoints.
    /// Returns, after each pick in order, the groups so far (one per pick, headed by the value picked).
    /// </summary>
    public static IReadOnlyList<RecomputeGroup[]> ByCostModel(RecomputeAnalysis analysis)
    {
        IReadOnlyList<Value> values = analysis.Differentiated.Graph.Values;
        bool[] saved = (bool[])analysis.Saved.Clone();
        var groups = new List<(int Head, HashSet<int> Members)>();
        var snapshots = new List<RecomputeGroup[]>();
        while (true)
        {
            (int Id, int[] Closure, int[] NewlySaved, HashSet<int>[] Readers)? best = null;
            double bestRatio = 0;
            for (int id = 0; id < saved.Length; id++)
            {
                if (!saved[id] || analysis.Pinned[id])
                {
                    continue;
                }

                (int[] closure, int[] newlySaved) = Closure(values, analysis.Pinned, saved, [id]);
                HashSet<int>[] readers = groups.Select(g => g.Members).Where(g => ReadsFromOutside(values, g, id)).ToArray();
                long bytes = values[id].Type.ByteCount - newlySaved.Sum(i => values[i].Type.ByteCount);
                double flops = closure.Sum(i => (double)RecomputeCost.Flops(values[i])) * (1 + readers.Length);
                double ratio = bytes / (1.0 + flops);
                if (bytes > 0 && ratio > bestRatio)
                {
                    (best, bestRatio) = ((id, closure, newlySaved, readers), ratio);
                }
            }

            if (best is not { } pick)
            {
                return snapshots;
            }

            saved[pick.Id] = false;
            foreach (int i in pick.NewlySaved)
            {
                saved[i] = true;
            }

            foreach (HashSet<int> reader in pick.Readers)
            {
                reader.UnionWith(pick.Closure);
            }

            groups.Add((pick.Id, [.. pick.Closure]));
            snapshots.Add(groups.Select(g => new RecomputeGroup([g.Head], g.Members.Order().ToArray())).ToArray());
        }
    }

    /// <summary>
    /// Chen et al.'s √n checkpoints: of the n forward steps (in id order) that compute saved values or what they are
    /// computed from, every ⌈√n⌉-th is a checkpoint and stays saved, with the pinned ones. Each segment between two
    /// checkpoints is one group, with what its steps read beyond the segment's checkpoints recomputed in it too (a
    /// residual branch that skips a checkpoint), so backward recomputes one segment of about √n steps at a time.
    /// </summary>
    public static RecomputeGroup[] SqrtCheckpoints(RecomputeAnalysis analysis)
    {
        IReadOnlyList<Value> values = analysis.Differentiated.Graph.Values;
        int forwardCount = analysis.Differentiated.ForwardCount;
        var needed = new bool[forwardCount];
        var stack = new Stack<Value>(Enumerable.Range(0, forwardCount).Where(id => analysis.Saved[id]).Select(id => values[id]));
        while (stack.Count > 0)
        {
            Value v = stack.Pop();
            if (!needed[v.Id] && v.Kind == ValueKind.Operation)
            {
                needed[v.Id] = true;
                foreach (Value input in v.Inputs)
                {
                    stack.Push(input);
                }
            }
        }

        int[] steps = Enumerable.Range(0, forwardCount).Where(id => needed[id]).ToArray();
        int segment = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(steps.Length)));
        bool[] kept = steps.Select((id, i) => (id, i)).Aggregate(new bool[forwardCount], (k, s) =>
        {
            k[s.id] = (s.i + 1) % segment == 0 || analysis.Pinned[s.id];
            return k;
        });
        var groups = new List<RecomputeGroup>();
        for (int start = 0; start < steps.Length; start += segment)
        {
            int[] members = steps.Skip(start).Take(segment).Where(id => !kept[id] && analysis.Saved[id]).ToArray();
            if (members.Length > 0)
            {
                groups.Add(new RecomputeGroup(members, Closure(values, analysis.Pinned, kept, members).Closure.Order().ToArray()));
            }
        }

        return [.. groups];
    }

    // Whether a member of the group reads the value with id `id` without recomputing it.
    private static bool ReadsFromOutside(IReadOnlyList<Value> values, HashSet<int> group, int id) =>
        !group.Contains(id) && group.Any(member => values[member].Inputs.Any(i => i.Id == id));

    // The heads and the operands they are recomputed from that are neither saved nor leaves; and the pinned operands
    // that are not saved yet, which must be saved for them.
    private static (int[] Closure, int[] NewlySaved) Closure(IReadOnlyList<Value> values, bool[] pinned, bool[] saved, int[] heads)
    {
        var closure = new List<int>();
        var newlySaved = new List<int>();
        var seen = new HashSet<int>(heads);
        var stack = new Stack<int>(heads);
        while (stack.Count > 0)
        {
            int current = stack.Pop();
            closure.Add(current);
            foreach (Value input in values[current].Inputs)
            {
                if (input.Kind != ValueKind.Operation || saved[input.Id] || !seen.Add(input.Id))
                {
                    continue;
                }

                if (pinned[input.Id])
                {
                    newlySaved.Add(input.Id);
                }
                else
                {
                    stack.Push(input.Id);
                }
            }
        }

        return (closure.ToArray(), newlySaved.ToArray());
    }
}
