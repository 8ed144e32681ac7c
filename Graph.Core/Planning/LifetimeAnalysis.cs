namespace Graph.Core.Planning;

/// <summary>
/// The lifetime of every intermediate over the <see cref="Timeline"/>. A value lives from the step that writes it to
/// the last step that reads it, or at which it is accumulated as a gradient (<see cref="Timeline.Accumulations"/>); a
/// value read after a step (an output, or a forward value a backward tape reads) lives to the end of the timeline.
/// Backward tapes of different roots never run interleaved, so their steps are separate stretches of the timeline.
/// </summary>
internal static class LifetimeAnalysis
{
    /// <summary>First and last step per value id (−1 for values on no tape).</summary>
    public static (int[] First, int[] Last) Run(Schedule schedule, Timeline timeline, int valueCount)
    {
        int[] first = Enumerable.Repeat(-1, valueCount).ToArray();
        int[] last = Enumerable.Repeat(-1, valueCount).ToArray();
        foreach ((Value v, int step) in timeline.Steps())
        {
            foreach (Value input in v.Inputs)
            {
                last[input.Id] = Math.Max(last[input.Id], step);
            }

            first[v.Id] = step;
            last[v.Id] = Math.Max(last[v.Id], step);
        }

        foreach ((GradientAccumulation a, int step) in timeline.Accumulations())
        {
            last[a.Gradient.Id] = Math.Max(last[a.Gradient.Id], step);
        }

        foreach (Value v in schedule.ReadAfterStep)
        {
            last[v.Id] = timeline.End;
        }

        return (first, last);
    }
}
