namespace Graph.Core;

/// <summary>
/// The steps conv2d → batch_norm in evaluation mode → relu (the ReLU optional) of a forward tape that the runtime runs
/// as one kernel, the batch norm and ReLU applied as the convolution writes each output channel: consecutive steps,
/// each intermediate read by the next step alone (by no other step of any tape, and not kept as an output, a gradient
/// root or a retained value), none inside a fused elementwise range. A graph compiled for inference has one after
/// every convolution of a ResNet. The memory planner keeps the convolution's input alive across the whole run
/// (<see cref="Timeline.SpanEnd"/>), since the fused kernel writes the run's last value while it reads that input.
/// </summary>
internal static class ConvolutionEpilogueRuns
{
    /// <summary>The runs of <paramref name="forward"/> to run as one convolution each, in order, as (first step, step count).</summary>
    public static IReadOnlyList<(int Start, int Count)> Find(Tape forward, IEnumerable<Tape> backward, IEnumerable<Value> kept)
    {
        var reads = new Dictionary<int, int>();
        foreach (Value step in forward.Steps.Concat(backward.SelectMany(b => b.Steps)))
        {
            foreach (Value input in step.Inputs)
            {
                reads[input.Id] = reads.GetValueOrDefault(input.Id) + 1;
            }
        }

        var keptIds = kept.Select(v => v.Id).ToHashSet();
        bool ReadOnlyByNext(Value v) => reads.GetValueOrDefault(v.Id) == 1 && !keptIds.Contains(v.Id);

        var fused = new bool[forward.Steps.Count];
        foreach (FusedRange range in forward.Fusions)
        {
            Array.Fill(fused, true, range.Start, range.Count);
        }

        var runs = new List<(int, int)>();
        for (int i = 0; i + 1 < forward.Steps.Count; i++)
        {
            Value convolution = forward.Steps[i], batchNorm = forward.Steps[i + 1];
            if (convolution.Op?.Name != "conv2d" || batchNorm.Op?.Name != "batch_norm" || batchNorm.Attributes.GetBool("training")
                || batchNorm.Inputs[0] != convolution || !ReadOnlyByNext(convolution) || fused[i] || fused[i + 1])
            {
                continue;
            }

            int count = 2;
            if (i + 2 < forward.Steps.Count && forward.Steps[i + 2] is { Op.Name: "relu" } relu && relu.Inputs[0] == batchNorm && ReadOnlyByNext(batchNorm) && !fused[i + 2])
            {
                count = 3;
            }

            runs.Add((i, count));
            i += count - 1;
        }

        return runs;
    }

    /// <summary>The runs of a compiled graph's forward tape.</summary>
    public static IReadOnlyList<(int Start, int Count)> Find(CompiledGraph graph) =>
        Find(graph.Forward, graph.Backward.Select(b => b.Tape), graph.Outputs.Concat(graph.RetainGrad).Concat(graph.GradientRoots));
}
