namespace Graph.Core;

/// <summary>
/// The one numbering of steps that the memory plan, its verifier and the runtime's poisoning share: the forward tape,
/// then each backward tape followed by one step for the accumulations of gradients it does not compute itself.
/// Tape 0 is the forward tape and tape 1 + k backward plan k's. A step runs in a span: itself, or the whole fused range
/// (or forward run the caller names) it belongs to, since tile-by-tile execution interleaves a range's steps and a
/// value read or written in it must keep its bytes for the whole range.
/// </summary>
internal sealed class Timeline
{
    /// <summary>The index of the forward tape.</summary>
    public const int ForwardTape = 0;

    private readonly Tape _forward;
    private readonly IReadOnlyList<BackwardPlan> _backward;
    private readonly int[] _tapeStarts;
    private readonly int[] _spanStart;
    private readonly int[] _spanEnd;

    /// <summary>
    /// The timeline of <paramref name="forward"/> and <paramref name="backward"/>; with <paramref name="forwardRuns"/>,
    /// each of those runs of forward steps is one span too (the planner passes <see cref="EpilogueRuns"/>,
    /// whose steps one kernel runs at once).
    /// </summary>
    public Timeline(Tape forward, IReadOnlyList<BackwardPlan> backward, IReadOnlyList<(int Start, int Count)>? forwardRuns = null)
    {
        _forward = forward;
        _backward = backward;
        _tapeStarts = new int[backward.Count + 1];
        int step = forward.Steps.Count;
        for (int k = 0; k < backward.Count; k++)
        {
            _tapeStarts[BackwardTape(k)] = step;
            step += backward[k].Tape.Steps.Count + 1; // the tape, then one step for its accumulations
        }

        Length = step;
        _spanStart = Enumerable.Range(0, step).ToArray();
        _spanEnd = Enumerable.Range(0, step).ToArray();
        foreach ((Tape tape, int index) in Tapes())
        {
            foreach (FusedRange f in tape.Fusions)
            {
                SetSpan(StepOf(index, f.Start), f.Count);
            }
        }

        foreach ((int start, int count) in forwardRuns ?? [])
        {
            SetSpan(StepOf(ForwardTape, start), count);
        }
    }

    /// <summary>The number of steps.</summary>
    public int Length { get; }

    /// <summary>The last step (0 for an empty timeline): values read after a pass (outputs, roots, retained values) live to it.</summary>
    public int End => Math.Max(Length - 1, 0);

    /// <summary>The step at which each tape starts, by tape index.</summary>
    public IReadOnlyList<int> TapeStarts => _tapeStarts;

    /// <summary>The timeline of <paramref name="graph"/>'s tapes.</summary>
    public static Timeline Of(CompiledGraph graph) => new(graph.Forward, graph.Backward);

    /// <summary>The tape index of backward plan <paramref name="plan"/>.</summary>
    public static int BackwardTape(int plan) => plan + 1;

    /// <summary>The timeline step of step <paramref name="index"/> of tape <paramref name="tape"/>.</summary>
    public int StepOf(int tape, int index) => _tapeStarts[tape] + index;

    /// <summary>The step after backward tape <paramref name="tape"/>'s own steps, where gradients it does not compute are accumulated.</summary>
    public int AccumulationStep(int tape) => StepOf(tape, _backward[tape - 1].Tape.Steps.Count);

    /// <summary>Every step of every tape with its value, in timeline order (accumulation steps compute no value).</summary>
    public IEnumerable<(Value Value, int Step)> Steps() =>
        Tapes().SelectMany(t => t.Tape.Steps.Select((v, i) => (v, StepOf(t.Index, i))));

    /// <summary>
    /// Every gradient accumulation of every backward plan, in order, with the step after which it runs: a gradient the tape
    /// computes is accumulated as soon as the span of its step is done (so it dies there), a seed or forward value used as a
    /// gradient on the tape's accumulation step.
    /// </summary>
    public IEnumerable<(GradientAccumulation Accumulation, int Step)> Accumulations()
    {
        for (int k = 0; k < _backward.Count; k++)
        {
            int tape = BackwardTape(k);
            var computed = _backward[k].Tape.Steps.Select((v, i) => (v.Id, i)).ToDictionary();
            foreach (GradientAccumulation a in _backward[k].Accumulations)
            {
                yield return (a, computed.TryGetValue(a.Gradient.Id, out int i) ? SpanEnd(StepOf(tape, i)) : AccumulationStep(tape));
            }
        }
    }

    /// <summary>The first step of the span <paramref name="step"/> runs in (a step past the timeline is its own span).</summary>
    public int SpanStart(int step) => step < Length ? _spanStart[step] : step;

    /// <summary>The last step of the span <paramref name="step"/> runs in (a step past the timeline is its own span).</summary>
    public int SpanEnd(int step) => step < Length ? _spanEnd[step] : step;

    private void SetSpan(int start, int count)
    {
        Array.Fill(_spanStart, start, start, count);
        Array.Fill(_spanEnd, start + count - 1, start, count);
    }

    private IEnumerable<(Tape Tape, int Index)> Tapes() =>
        _backward.Select((b, k) => (b.Tape, BackwardTape(k))).Prepend((_forward, ForwardTape));
}
