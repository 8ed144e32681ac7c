using Graph.Core;
using Graph.Runtime.Kernels;

namespace Graph.Runtime.Execution;

/// <summary>
/// A tape bound to one session's tensors: its units (single kernels, or fused runs as one
/// <see cref="FusedKernel"/>) and, for each unit, its last step, after which dead storages may be poisoned.
/// </summary>
internal sealed class BoundTape
{
    private readonly Kernel[] _units;
    private readonly int[] _lastStep;

    public BoundTape(Tape tape, Func<Value, Kernel> bind)
    {
        Kernel[] kernels = tape.Steps.Select(bind).ToArray();
        var units = new List<Kernel>();
        var lastStep = new List<int>();
        int step = 0;
        foreach (FusedRange fusion in tape.Fusions)
        {
            for (; step < fusion.Start; step++)
            {
                units.Add(kernels[step]);
                lastStep.Add(step);
            }

            units.Add(new FusedKernel(kernels[fusion.Start..fusion.End]));
            step = fusion.End;
            lastStep.Add(step - 1);
        }

        for (; step < kernels.Length; step++)
        {
            units.Add(kernels[step]);
            lastStep.Add(step);
        }

        _units = units.ToArray();
        _lastStep = lastStep.ToArray();
        StepCount = kernels.Length;
    }

    /// <summary>The number of tape steps (not units).</summary>
    public int StepCount { get; }

    /// <summary>Runs every unit; <paramref name="poison"/>, when on, fills what died, with the tape starting at timeline step <paramref name="start"/>.</summary>
    public void Run(DeadBufferPoison? poison, int start)
    {
        for (int i = 0; i < _units.Length; i++)
        {
            _units[i].Run();
            poison?.AfterStep(start + _lastStep[i]);
        }
    }
}
