
namespace Graph.Core.Planning;

/// <summary>
/// The lifetime of every intermediate over the timeline: the forward tape, then each backward tape followed
/// by one step for accumulating gradients it does not compute itself (a gradient the tape computes is
/// accumulated right after its step, or its fused range, and dies there). A value lives from the step that writes it to the last step
/// that reads it; a value read after a step (an output, or a forward value a backward tape reads) lives to
/// the end of the timeline. Backward tapes of different roots never run interleaved, so their steps are
/// separate stretches of the timeline.
/// </summary>
internal static class LifetimeAnalysis
{
    /// <summary>First and last step per value id (−1 for values on no tape), and where each tape starts.</summary>
    public static (int[] First, int[] Last, int Length, int[] TapeStarts) Run(Schedule schedule, int valueCount)
    {
        int[] first = Enumerable.Repeat(-1, valueCount).ToArray();
        int[] last = Enumerable.Repeat(-1, valueCount).ToArray();
        var tapeStarts = new List<int>();
        int step = 0;

        void Visit(Tape tape)
        {
            foreach (Value v in tape.Steps)
            {
                foreach (Value input in v.Inputs)
                {
                    last[input.Id] = Math.Max(last[input.Id], step);
                }

                first[v.Id] = step;
                last[v.Id] = Math.Max(last[v.Id], step);
                step++;
            }
        }

        tapeStarts.Add(step);
        Visit(schedule.Forward);
        foreach (BackwardPlan plan in schedule.Backward)
        {
            int start = step;
            tapeStarts.Add(step);
            Visit(plan.Tape);

            // A gradient the tape computes is accumulated as soon as its step (its fused range) is done, so it dies
            // there; a seed or forward value used as a gradient is accumulated at the end, on the extra step.
            var computed = plan.Tape.Steps.Select((v, i) => (v.Id, i)).ToDictionary();
            var spans = new TimelineSpans(plan.Tape, []);
            foreach (GradientAccumulation a in plan.Accumulations)
            {
                int at = computed.TryGetValue(a.Gradient.Id, out int i) ? start + spans.End(i) : step;
                last[a.Gradient.Id] = Math.Max(last[a.Gradient.Id], at);
            }

            step++;
        }

        int end = Math.Max(step - 1, 0);
        foreach (Value v in schedule.ReadAfterStep)
        {
            last[v.Id] = end;
        }

        return (first, last, step, tapeStarts.ToArray());
    }
}
