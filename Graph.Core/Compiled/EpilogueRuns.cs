namespace Graph.Core;

/// <summary>
/// The runs of forward steps that the runtime runs as one kernel, the later steps applied as an epilogue while the
/// first one writes its output:
/// <list type="bullet">
/// <item>conv2d → batch_norm in evaluation mode → relu (the ReLU optional): the batch norm and ReLU applied as the
/// convolution writes each output channel. A graph compiled for inference has one after every convolution of a ResNet.</item>
/// <item>matmul → add of a bias row → relu (the ReLU optional), a linear layer: the bias and ReLU applied to each block
/// of the product as the GEMM finishes it, in training too (the ReLU's gradient reads its output, which the run writes).</item>
/// </list>
/// The steps are consecutive, each intermediate read by the next step alone (by no other step of any tape, and not
/// kept as an output, a gradient root or a retained value), none inside a fused elementwise range. The memory planner
/// makes each run one span of the timeline (<see cref="Timeline"/>), so every value the run reads stays alive
/// while the fused kernel writes the run's last value.
/// </summary>
internal static class EpilogueRuns
{
    /// <summary>The runs of <paramref name="forward"/> to run as one kernel each, in order, as (first step, step count).</summary>
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
            Value first = forward.Steps[i], second = forward.Steps[i + 1];
            if (!(IsConvolutionBatchNorm(first, second) || IsMatMulBias(first, second)) || !ReadOnlyByNext(first) || fused[i] || fused[i + 1])
            {
                continue;
            }

            int count = 2;
            if (i + 2 < forward.Steps.Count && forward.Steps[i + 2] is { Op.Name: "relu" } relu && relu.Inputs[0] == second && ReadOnlyByNext(second) && !fused[i + 2])
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

    /// <summary>The bias a matmul → add run adds: the add's other operand.</summary>
    public static Value BiasOf(Value matmul, Value add) => add.Inputs[0] == matmul ? add.Inputs[1] : add.Inputs[0];

    private static bool IsConvolutionBatchNorm(Value convolution, Value batchNorm) =>
        convolution.Op?.Name == "conv2d" && batchNorm.Op?.Name == "batch_norm" && !batchNorm.Attributes.GetBool("training")
        && batchNorm.Inputs[0] == convolution;

    // A product of two matrices (no batch axes, the one shape the fused kernel runs), plus a 1-D bias as wide as it.
    private static bool IsMatMulBias(Value matmul, Value add)
    {
        if (matmul.Op?.Name != "matmul" || add.Op?.Name != "add" || (add.Inputs[0] != matmul && add.Inputs[1] != matmul) || add.Inputs[0] == add.Inputs[1])
        {
            return false;
        }

        Value bias = BiasOf(matmul, add);
        return matmul.Shape.Rank == 2 && matmul.Inputs[0].Shape.Rank == 2 && matmul.Inputs[1].Shape.Rank == 2
            && bias.DType == matmul.DType && add.DType == matmul.DType && add.Shape.Equals(matmul.Shape)
            && bias.Shape.Rank == 1 && bias.Shape[0] == matmul.Shape[1] && bias.Shape[0] > 0;
    }
}
