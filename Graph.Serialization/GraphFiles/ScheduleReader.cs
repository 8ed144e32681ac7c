using Graph.Core;

namespace Graph.Serialization;

/// <summary>
/// Reads what a session runs and reads: the forward tape, the outputs and retained values, and the backward
/// plans. Checks that every step computes an op result once, after everything it reads (a leaf, a forward
/// value, or an earlier value of its own backward tape), and that every value a session reads is computed.
/// </summary>
internal sealed class ScheduleReader
{
    private const int NotComputed = -2;
    private const int InForward = -1;
    private const int RootKey = 0;
    private const int SeedKey = 1;
    private const int TapeKey = 2;
    private const int AccumulationsKey = 3;
    private const int FusionsKey = 4;

    private static readonly string[] s_backwardKeys = [GraphKeys.Root, GraphKeys.Seed, GraphKeys.Tape, GraphKeys.Accumulations, GraphKeys.Fusions];

    private readonly IReadOnlyList<Value> _values;

    // Which tape computes each value: NotComputed, InForward, or the index of a backward plan.
    private readonly int[] _computedIn;
    private readonly HashSet<int> _roots = [];

    /// <summary>A reader of the schedule of <paramref name="graph"/>'s values.</summary>
    public ScheduleReader(ComputeGraph graph)
    {
        _values = graph.Values;
        _computedIn = new int[_values.Count];
        Array.Fill(_computedIn, NotComputed);
    }

    /// <summary>Whether some tape computes <paramref name="value"/>: only such values have a buffer.</summary>
    public bool IsComputed(Value value) => _computedIn[value.Id] != NotComputed;

    /// <summary>Reads a value id and returns the value.</summary>
    /// <exception cref="GraphFormatException">The id is not a value's.</exception>
    public Value ReadValue(ref BoundedReader reader, string what)
    {
        long at = reader.AbsolutePosition;
        int id = reader.ReadInt32();
        if (id < 0 || id >= _values.Count)
        {
            throw new GraphFormatException(at, $"{what} refers to value {id}, but the file has {_values.Count} values");
        }

        return _values[id];
    }

    /// <summary>Reads the forward tape; call it before the other parts, which read what it computes.</summary>
    public Tape ReadForward(ref BoundedReader reader) => ReadTape(ref reader, InForward, "the forward tape");

    /// <summary>
    /// Reads the outputs or the retained values: values a session reads after a forward pass, so each is a
    /// leaf or computed by the forward tape; retained values must require a gradient.
    /// </summary>
    public Value[] ReadReadable(ref BoundedReader reader, string what, bool retained)
    {
        var result = new Value[reader.ReadArrayHeader()];
        var seen = new HashSet<int>();
        for (int i = 0; i < result.Length; i++)
        {
            long at = reader.AbsolutePosition;
            Value v = ReadValue(ref reader, what);
            if (!IsAvailable(v, InForward))
            {
                throw new GraphFormatException(at, $"{what} names '{v.Name}', which the forward tape does not compute");
            }

            if (retained && !v.RequiresGrad)
            {
                throw new GraphFormatException(at, $"{what} names '{v.Name}', which does not require a gradient");
            }

            if (!seen.Add(v.Id))
            {
                throw new GraphFormatException(at, $"{what} names '{v.Name}' twice");
            }

            result[i] = v;
        }

        return result;
    }

    /// <summary>Reads backward plan <paramref name="index"/>, after the forward tape and the retained values.</summary>
    public BackwardPlan ReadBackward(ref BoundedReader reader, int index, IReadOnlyList<Value> retainGrad)
    {
        string what = $"backward plan {index}";
        var fields = new MapFields(ref reader, s_backwardKeys, what);
        Value? root = null;
        Value? seed = null;
        long rootOffset = 0;
        long seedOffset = 0;
        Tape tape = new([]);
        (FusedRange Range, long Offset)[] fusions = [];
        var accumulations = new List<(Value Target, Value Gradient, long Offset)>();
        int key;
        while ((key = fields.Next(ref reader)) >= 0)
        {
            switch (key)
            {
                case RootKey:
                    rootOffset = reader.AbsolutePosition;
                    root = ReadValue(ref reader, $"the root of {what}");
                    break;
                case SeedKey:
                    seedOffset = reader.AbsolutePosition;
                    seed = ReadValue(ref reader, $"the seed of {what}");
                    break;
                case TapeKey:
                    tape = ReadTape(ref reader, index, $"the tape of {what}");
                    break;
                case FusionsKey:
                    fusions = ReadFusions(ref reader, $"the fusions of {what}");
                    break;
                default:
                    int count = reader.ReadArrayHeader();
                    for (int i = 0; i < count; i++)
                    {
                        long at = reader.AbsolutePosition;
                        if (reader.ReadArrayHeader() != 2)
                        {
                            throw new GraphFormatException(at, $"accumulation {i} of {what} is not [target, gradient]");
                        }

                        accumulations.Add((ReadValue(ref reader, what), ReadValue(ref reader, what), at));
                    }

                    break;
            }
        }

        fields.Require(RootKey, SeedKey, TapeKey, AccumulationsKey);
        CheckRoot(root!, seed!, rootOffset, seedOffset, what);
        return new BackwardPlan(root!, seed!, WithFusions(tape, fusions, $"the fusions of {what}"), CheckAccumulations(accumulations, index, retainGrad, what));
    }

    private void CheckRoot(Value root, Value seed, long rootOffset, long seedOffset, string what)
    {
        if (!root.RequiresGrad || !IsAvailable(root, InForward))
        {
            throw new GraphFormatException(rootOffset, $"the root '{root.Name}' of {what} does not require a gradient or is not computed by the forward tape");
        }

        if (!_roots.Add(root.Id))
        {
            throw new GraphFormatException(rootOffset, $"'{root.Name}' is the root of two backward plans");
        }

        if (seed.Kind != ValueKind.GradientSeed || seed.Type != root.Type)
        {
            throw new GraphFormatException(seedOffset, $"the seed '{seed.Name}' of {what} is not a gradient seed of the root's type {root.Type}");
        }
    }

    private GradientAccumulation[] CheckAccumulations(List<(Value Target, Value Gradient, long Offset)> accumulations, int index, IReadOnlyList<Value> retainGrad, string what)
    {
        var targets = new HashSet<int>();
        var result = new GradientAccumulation[accumulations.Count];
        for (int i = 0; i < result.Length; i++)
        {
            (Value target, Value gradient, long at) = accumulations[i];
            bool keepsGradient = (target.IsLeaf && target.RequiresGrad) || retainGrad.Contains(target);
            if (!keepsGradient || !targets.Add(target.Id))
            {
                throw new GraphFormatException(at, $"{what} accumulates into '{target.Name}', which keeps no gradient or is accumulated twice");
            }

            if (gradient.Type != target.Type || !IsAvailable(gradient, index))
            {
                throw new GraphFormatException(at, $"{what} accumulates '{gradient.Name}' {gradient.Type} into '{target.Name}' {target.Type}; the gradient must be of the target's type and computed by the forward tape or this plan's tape");
            }

            result[i] = new GradientAccumulation(target, gradient);
        }

        return result;
    }

    /// <summary>Reads a tape's fused ranges as [[start, count], ...]; <see cref="WithFusions"/> checks them against the tape.</summary>
    public static (FusedRange Range, long Offset)[] ReadFusions(ref BoundedReader reader, string what)
    {
        var fusions = new (FusedRange, long)[reader.ReadArrayHeader()];
        for (int i = 0; i < fusions.Length; i++)
        {
            long at = reader.AbsolutePosition;
            if (reader.ReadArrayHeader() != 2)
            {
                throw new GraphFormatException(at, $"range {i} of {what} is not [start, count]");
            }

            fusions[i] = (new FusedRange(reader.ReadInt32(), reader.ReadInt32()), at);
        }

        return fusions;
    }

    /// <summary>
    /// <paramref name="tape"/> with <paramref name="fusions"/>, which must be in order, disjoint, inside the tape, at
    /// least two steps long, and made of steps that can run tile by tile over one shape.
    /// </summary>
    public static Tape WithFusions(Tape tape, (FusedRange Range, long Offset)[] fusions, string what)
    {
        int previousEnd = 0;
        foreach ((FusedRange f, long at) in fusions)
        {
            if (f.Start < previousEnd || f.Count < 2 || f.Count > tape.Steps.Count - f.Start)
            {
                throw new GraphFormatException(at, $"{what}: the range [{f.Start}, +{f.Count}) overlaps another, is shorter than two steps, or leaves the {tape.Steps.Count}-step tape");
            }

            Shape shape = tape.Steps[f.Start].Shape;
            for (int i = f.Start; i < f.End; i++)
            {
                if (!FusedRange.CanTile(tape.Steps[i], shape))
                {
                    throw new GraphFormatException(at, $"{what}: step {i} ('{tape.Steps[i].Name}') cannot run tile by tile over {shape}");
                }
            }

            previousEnd = f.End;
        }

        return fusions.Length == 0 ? tape : new Tape(tape.Steps, fusions.Select(f => f.Range).ToArray());
    }

    private Tape ReadTape(ref BoundedReader reader, int tape, string what)
    {
        // The reader bounds the count by the bytes that remain.
        var steps = new Value[reader.ReadArrayHeader()];
        for (int i = 0; i < steps.Length; i++)
        {
            long at = reader.AbsolutePosition;
            Value v = ReadValue(ref reader, what);
            if (v.IsLeaf || IsComputed(v))
            {
                throw new GraphFormatException(at, $"step {i} of {what} computes '{v.Name}', which is a leaf or is computed by an earlier step");
            }

            foreach (Value input in v.Inputs)
            {
                if (!IsAvailable(input, tape))
                {
                    throw new GraphFormatException(at, $"step {i} of {what} computes '{v.Name}' from '{input.Name}', which is not computed before it");
                }
            }

            _computedIn[v.Id] = tape;
            steps[i] = v;
        }

        return new Tape(steps);
    }

    private bool IsAvailable(Value v, int tape) => v.IsLeaf || _computedIn[v.Id] == InForward || (tape >= 0 && _computedIn[v.Id] == tape);
}
