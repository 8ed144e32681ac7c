using Graph.Compiler.Passes;
using Graph.Core;
using Graph.Core.Planning;
using Graph.Core.Operations;

namespace Graph.Compiler.Lowering;

/// <summary>
/// Dead-code elimination and scheduling: keep only the values some output, root, retained value or
/// gradient needs, and the ops with side effects (<see cref="OpTraits.UpdatesInputs"/>); order each tape
/// topologically (ids are already in topological order).
/// </summary>
internal static class Linearize
{
    public static Schedule Run(Differentiated d)
    {
        IReadOnlyList<Value> values = d.Graph.Values;
        var forwardNeeded = new bool[values.Count];
        var readAfterStep = new HashSet<Value>(d.Outputs.Concat(d.RetainGrad).Concat(d.Roots.Select(r => r.Root)));

        var plans = new List<BackwardPlan>();
        foreach ((Value root, Value seed, IReadOnlyList<GradientAccumulation> accumulations) in d.Roots)
        {
            var needed = new bool[values.Count];
            foreach (GradientAccumulation a in accumulations)
            {
                Mark(a.Gradient, needed);
            }

            var steps = new List<Value>();
            for (int id = d.ForwardCount; id < values.Count; id++)
            {
                if (needed[id] && values[id].Kind == ValueKind.Operation)
                {
                    steps.Add(values[id]);
                }
            }

            // Forward values this tape reads directly (or accumulates) must be computed by the forward tape and
            // survive it; what they are computed from may die during the forward pass.
            IEnumerable<Value> readByTape = steps.SelectMany(v => v.Inputs).Concat(accumulations.Select(a => a.Gradient));
            foreach (Value v in readByTape.Where(v => v.Id < d.ForwardCount && v.Kind == ValueKind.Operation))
            {
                Mark(v, forwardNeeded);
                readAfterStep.Add(v);
            }

            plans.Add(new BackwardPlan(root, seed, new Tape(steps), accumulations));
        }

        foreach (Value v in readAfterStep)
        {
            Mark(v, forwardNeeded);
        }

        // An op that writes its inputs (batch normalization's running statistics) runs even when no one reads its output.
        for (int id = 0; id < d.ForwardCount; id++)
        {
            if (values[id].Op is { } op && op.Traits.HasFlag(OpTraits.UpdatesInputs))
            {
                Mark(values[id], forwardNeeded);
            }
        }

        var forward = new List<Value>();
        for (int id = 0; id < d.ForwardCount; id++)
        {
            if (forwardNeeded[id] && values[id].Kind == ValueKind.Operation)
            {
                forward.Add(values[id]);
            }
        }

        Value[] outputs = d.Outputs.Concat(d.Roots.Select(r => r.Root)).Distinct().ToArray();
        return new Schedule(new Tape(forward), plans, outputs, readAfterStep);
    }

    /// <summary>Marks <paramref name="value"/> and everything it depends on.</summary>
    private static void Mark(Value value, bool[] needed)
    {
        var stack = new Stack<Value>();
        stack.Push(value);
        while (stack.Count > 0)
        {
            Value v = stack.Pop();
            if (needed[v.Id])
            {
                continue;
            }

            needed[v.Id] = true;
            foreach (Value input in v.Inputs)
            {
                stack.Push(input);
            }
        }
    }
}
