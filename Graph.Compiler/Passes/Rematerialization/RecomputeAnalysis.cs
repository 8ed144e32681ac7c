using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Compiler.Passes.Rematerialization;

/// <summary>
/// Which backward tape each backward node belongs to, which forward values the backward tapes keep alive (the saved
/// values: read by a backward step, or accumulated as a gradient) and which forward values may be recomputed.
/// </summary>
internal sealed class RecomputeAnalysis
{
    /// <summary>An <see cref="Owner"/> entry for a node no root's tape computes.</summary>
    public const int NoRoot = -1;

    /// <summary>An <see cref="Owner"/> entry for a node the tapes of two or more roots compute.</summary>
    public const int SharedByRoots = -2;

    private RecomputeAnalysis(Differentiated d, int[] owner, bool[] saved, bool[] pinned)
    {
        (Differentiated, Owner, Saved, Pinned) = (d, owner, saved, pinned);
    }

    public Differentiated Differentiated { get; }

    /// <summary>Per value id at or past the forward count: the index of the root whose tape computes it, <see cref="NoRoot"/> or <see cref="SharedByRoots"/>.</summary>
    public int[] Owner { get; }

    /// <summary>Per forward id: the value survives the forward pass for the backward tapes.</summary>
    public bool[] Saved { get; }

    /// <summary>
    /// Per forward id: the value is never recomputed. Leaves need no recomputing; random ops (dropout masks) would
    /// draw another mask; ops with an effect would repeat it (batch norm is recomputed without it, see
    /// <see cref="BatchNorm"/>); outputs, roots, retained values and accumulated gradients are kept to the end anyway;
    /// and a value a node of several roots' tapes reads is left as it is, since each tape gets copies of its own.
    /// </summary>
    public bool[] Pinned { get; }

    public static RecomputeAnalysis Run(Differentiated d)
    {
        IReadOnlyList<Value> values = d.Graph.Values;
        int forwardCount = d.ForwardCount;
        int[] owner = Enumerable.Repeat(NoRoot, values.Count).ToArray();
        for (int r = 0; r < d.Roots.Count; r++)
        {
            var stack = new Stack<Value>(d.Roots[r].Accumulations.Select(a => a.Gradient));
            var seen = new HashSet<int>();
            while (stack.Count > 0)
            {
                Value v = stack.Pop();
                if (v.Id < forwardCount || !seen.Add(v.Id))
                {
                    continue;
                }

                owner[v.Id] = owner[v.Id] == NoRoot ? r : SharedByRoots;
                foreach (Value input in v.Inputs)
                {
                    stack.Push(input);
                }
            }
        }

        var saved = new bool[forwardCount];
        var pinned = new bool[forwardCount];
        for (int id = 0; id < forwardCount; id++)
        {
            pinned[id] = values[id].Op is not { } op || op is DropoutMask || (op.Traits.HasFlag(OpTraits.UpdatesInputs) && op is not BatchNorm);
        }

        foreach (Value v in d.Outputs.Concat(d.RetainGrad).Concat(d.Roots.Select(r => r.Root)))
        {
            pinned[v.Id] = true;
        }

        foreach (GradientAccumulation a in d.Roots.SelectMany(r => r.Accumulations).Where(a => a.Gradient.Id < forwardCount))
        {
            saved[a.Gradient.Id] = pinned[a.Gradient.Id] = true;
        }

        for (int id = forwardCount; id < values.Count; id++)
        {
            if (owner[id] == NoRoot)
            {
                continue;
            }

            foreach (Value input in values[id].Inputs.Where(i => i.Id < forwardCount && i.Kind == ValueKind.Operation))
            {
                saved[input.Id] = true;
                pinned[input.Id] |= owner[id] == SharedByRoots;
            }
        }

        return new RecomputeAnalysis(d, owner, saved, pinned);
    }
}
