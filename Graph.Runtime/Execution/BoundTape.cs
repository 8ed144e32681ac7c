using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;
using Graph.Runtime.Kernels;

namespace Graph.Runtime.Execution;

/// <summary>
/// A tape bound to one session's tensors: its units (single kernels, or fused runs as one
/// <see cref="FusedKernel"/>), for each unit the <see cref="Timeline"/> step it ends at (after which dead storages may be
/// poisoned), and the
/// gradient accumulations to run right after it: a gradient is added into its leaf's stored gradient as soon as
/// it exists, so it can die there instead of living to the end of the tape. Accumulations of large gradients are
/// split into fixed parts for the session's threads, as elementwise kernels are.
/// </summary>
internal sealed class BoundTape
{
    private readonly Kernel[] _units;
    private readonly int[] _stepCount;
    private readonly int[] _doneAt;
    private readonly int? _accumulationStep;
    private readonly Accumulation[][] _afterUnit;
    private readonly Accumulation[] _atEnd;
    private readonly WorkerTeam _team;

    // With profiling on: the stopwatch ticks and calls of each unit, and (last slot) of the accumulations.
    private readonly long[]? _ticks;
    private readonly long[]? _calls;

    /// <summary>
    /// Binds <paramref name="tape"/>, tape <paramref name="index"/> of <paramref name="timeline"/>: each step through
    /// <paramref name="bind"/>, each fused range as one <see cref="FusedKernel"/>, and each of <paramref name="runs"/>
    /// (disjoint from the fused ranges) as the kernel given for it, whose steps are not bound one by one.
    /// </summary>
    public BoundTape(
        Tape tape, Timeline timeline, int index, WorkerTeam team, Func<Value, Kernel> bind, IReadOnlyList<Accumulation>? accumulations = null,
        bool profile = false, IReadOnlyList<KernelRun>? runs = null)
    {
        _team = team;
        int steps = tape.Steps.Count;
        var runAt = (runs ?? []).ToDictionary(r => r.Start);
        var fusionAt = tape.Fusions.ToDictionary(f => f.Start);
        var units = new List<Kernel>();
        var lastStep = new List<int>();
        var stepCount = new List<int>();
        for (int step = 0; step < steps;)
        {
            int count = 1;
            if (fusionAt.TryGetValue(step, out FusedRange fusion))
            {
                units.Add(new FusedKernel(tape.Steps.Skip(step).Take(fusion.Count).Select(bind).ToArray(), team));
                count = fusion.Count;
            }
            else if (runAt.TryGetValue(step, out KernelRun run))
            {
                units.Add(run.Kernel);
                count = run.Count;
            }
            else
            {
                units.Add(bind(tape.Steps[step]));
            }

            step += count;
            lastStep.Add(step - 1);
            stepCount.Add(count);
        }

        _units = units.ToArray();
        _stepCount = stepCount.ToArray();
        _doneAt = lastStep.Select(last => timeline.StepOf(index, last)).ToArray();
        _accumulationStep = index == Timeline.ForwardTape ? null : timeline.AccumulationStep(index);

        // The unit that computes each gradient; gradients no step computes (seeds, forward values) go at the end.
        var unitOfStep = new int[steps];
        for (int unit = 0, s = 0; unit < _units.Length; unit++)
        {
            for (; s <= lastStep[unit]; s++)
            {
                unitOfStep[s] = unit;
            }
        }

        var stepOf = tape.Steps.Select((v, i) => (v.Id, i)).ToDictionary();
        accumulations ??= [];
        _afterUnit = Enumerable.Range(0, _units.Length)
            .Select(u => accumulations.Where(a => stepOf.TryGetValue(a.GradientId, out int s) && unitOfStep[s] == u).ToArray())
            .ToArray();
        _atEnd = accumulations.Where(a => !stepOf.ContainsKey(a.GradientId)).ToArray();
        if (profile)
        {
            _ticks = new long[_units.Length + 1];
            _calls = new long[_units.Length + 1];
        }
    }

    /// <summary>
    /// Runs every unit and its accumulations, marking each target in <paramref name="gradReached"/>;
    /// <paramref name="poison"/>, when on, fills what died after each unit and after a backward tape's accumulation step.
    /// </summary>
    public void Run(DeadBufferPoison? poison, bool[] gradReached)
    {
        if (_ticks is not null)
        {
            RunProfiled(poison, gradReached);
        }
        else
        {
            for (int i = 0; i < _units.Length; i++)
            {
                _units[i].Run();
                Accumulate(_afterUnit[i], gradReached);
                poison?.AfterStep(_doneAt[i]);
            }

            Accumulate(_atEnd, gradReached);
        }

        if (_accumulationStep is int step)
        {
            poison?.AfterStep(step);
        }
    }

    /// <summary>The time of each unit so far, named for <paramref name="tape"/>; empty without profiling.</summary>
    public IEnumerable<ProfileEntry> ProfileEntries(string tape)
    {
        if (_ticks is null || _calls is null)
        {
            yield break;
        }

        for (int i = 0; i < _units.Length; i++)
        {
            Kernel unit = _units[i];
            string op = unit is FusedKernel ? "fused" : unit.OpName;
            yield return new ProfileEntry(tape, op, unit.Node.Name, _stepCount[i], _calls[i], Stopwatch.GetElapsedTime(0, _ticks[i]));
        }

        if (_calls[^1] > 0)
        {
            yield return new ProfileEntry(tape, "accumulate", tape, 0, _calls[^1], Stopwatch.GetElapsedTime(0, _ticks[^1]));
        }
    }

    /// <summary>Forgets the times recorded so far.</summary>
    public void ResetProfile()
    {
        if (_ticks is not null && _calls is not null)
        {
            Array.Clear(_ticks);
            Array.Clear(_calls);
        }
    }

    private void RunProfiled(DeadBufferPoison? poison, bool[] gradReached)
    {
        long[] ticks = _ticks!, calls = _calls!;
        for (int i = 0; i < _units.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            _units[i].Run();
            long t1 = Stopwatch.GetTimestamp();
            Accumulate(_afterUnit[i], gradReached);
            long t2 = Stopwatch.GetTimestamp();
            (ticks[i], calls[i]) = (ticks[i] + (t1 - t0), calls[i] + 1);
            if (_afterUnit[i].Length > 0)
            {
                (ticks[^1], calls[^1]) = (ticks[^1] + (t2 - t1), calls[^1] + 1);
            }

            poison?.AfterStep(_doneAt[i]);
        }

        if (_atEnd.Length > 0)
        {
            long t3 = Stopwatch.GetTimestamp();
            Accumulate(_atEnd, gradReached);
            (ticks[^1], calls[^1]) = (ticks[^1] + (Stopwatch.GetTimestamp() - t3), calls[^1] + 1);
        }
    }

    private void Accumulate(Accumulation[] accumulations, bool[] gradReached)
    {
        foreach (Accumulation a in accumulations)
        {
            if (!a.AddedByProducer)
            {
                a.Run(_team);
            }

            gradReached[a.TargetId] = true;
        }
    }

    /// <summary>Steps [<see cref="Start"/>, Start + <see cref="Count"/>) of a tape, run as one <see cref="Kernel"/>.</summary>
    internal readonly record struct KernelRun(int Start, int Count, Kernel Kernel);

    /// <summary>
    /// <c>Target += Gradient</c>, the stored gradient of value <see cref="TargetId"/> (<c>Target = Gradient</c> while
    /// the target is zero in name, see <see cref="GradientBuffer"/>); when <see cref="AddedByProducer"/>, the step
    /// computing the gradient already added it into the target (a GEMM with beta = 1, see
    /// <see cref="Kernels.KernelBinding.AddInto"/>) and only the target's being reached is recorded.
    /// </summary>
    internal sealed record Accumulation(int TargetId, GradientBuffer Target, int GradientId, Tensor Gradient, bool AddedByProducer = false) : IRangeKernel
    {
        private bool _overwrite;

        /// <summary>Adds (or, into a zeroed target, copies) the whole gradient on <paramref name="team"/>'s threads.</summary>
        public void Run(WorkerTeam team)
        {
            _overwrite = Target.IsZero;
            FixedParts.RunRange(team, this, (int)Target.Tensor.ElementCount);
            Target.IsZero = false;
        }

        /// <summary>Adds elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of the gradient into the target.</summary>
        public void RunRange(int start, int count)
        {
            if (Target.Tensor.DType == DType.Float32)
            {
                Add<float>(start, count);
            }
            else
            {
                Add<double>(start, count);
            }
        }

        private void Add<T>(int start, int count)
            where T : unmanaged, INumberBase<T>
        {
            Span<T> d = Target.Tensor.AsSpan<T>().Slice(start, count);
            ReadOnlySpan<T> g = Gradient.AsSpan<T>().Slice(start, count);
            if (_overwrite)
            {
                g.CopyTo(d);
            }
            else
            {
                TensorPrimitives.Add(d, g, d);
            }
        }
    }
}
