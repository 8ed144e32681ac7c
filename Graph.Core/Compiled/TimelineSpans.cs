namespace Graph.Core;

/// <summary>
/// The span of timeline steps each step runs in: itself, or the whole fused range it belongs to. Tile-by-tile
/// execution interleaves a fused range's steps, so a value read or written in it must keep its bytes for the
/// whole range; the planner, the verifier and the poisoner all widen lifetimes with this.
/// </summary>
internal sealed class TimelineSpans
{
    private readonly int[] _start;
    private readonly int[] _end;

    /// <summary>
    /// The spans of the timeline made of <paramref name="forward"/> and each backward tape plus its accumulation step;
    /// with <paramref name="forwardRuns"/>, each of those runs of forward steps is one span too (the planner passes
    /// <see cref="EpilogueRuns"/>, whose steps one kernel runs at once).
    /// </summary>
    public TimelineSpans(Tape forward, IEnumerable<Tape> backward, IReadOnlyList<(int Start, int Count)>? forwardRuns = null)
    {
        var starts = new List<int>();
        var ends = new List<int>();
        void Add(Tape tape)
        {
            int offset = starts.Count;
            for (int i = 0; i < tape.Steps.Count; i++)
            {
                starts.Add(offset + i);
                ends.Add(offset + i);
            }

            foreach (FusedRange f in tape.Fusions)
            {
                for (int i = f.Start; i < f.End; i++)
                {
                    starts[offset + i] = offset + f.Start;
                    ends[offset + i] = offset + f.End - 1;
                }
            }
        }

        Add(forward);
        foreach ((int start, int count) in forwardRuns ?? [])
        {
            for (int i = start; i < start + count; i++)
            {
                (starts[i], ends[i]) = (start, start + count - 1);
            }
        }

        foreach (Tape tape in backward)
        {
            Add(tape);
            starts.Add(starts.Count); // the accumulation step
            ends.Add(ends.Count);
        }

        _start = starts.ToArray();
        _end = ends.ToArray();
    }

    /// <summary>The first step of the span <paramref name="step"/> runs in.</summary>
    public int Start(int step) => step < _start.Length ? _start[step] : step;

    /// <summary>The last step of the span <paramref name="step"/> runs in.</summary>
    public int End(int step) => step < _end.Length ? _end[step] : step;
}
