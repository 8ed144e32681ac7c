namespace Graph.Core.Planning;

/// <summary>
/// Turns a dynamic compiled graph (an <c>Input</c> shape holds -1) into the concrete one for the sizes a session is
/// given: every op is rebuilt through <see cref="GraphBuilder.AddNode"/> with its shape rule run on the concrete
/// operands (so sizes that must agree are checked with the op's usual message), the tapes keep their steps and order,
/// and fusion and the memory plan are made again for the concrete sizes. The result is what compiling the same graph
/// with those sizes fixed gives; it lives in Core so that a loaded file runs without the compiler.
/// </summary>
internal static class Specialization
{
    /// <summary>The concrete graph for <paramref name="graph"/> with each input of the shape <paramref name="inputShape"/> gives it.</summary>
    /// <exception cref="GraphBuildException">A shape rule refuses the concrete sizes, or two dynamic sizes that must agree differ; the message names the node, its op and its operands' shapes.</exception>
    public static CompiledGraph Specialize(CompiledGraph graph, Func<Value, Shape> inputShape)
    {
        ComputeGraph concrete = Rebuild(graph, inputShape);
        Value At(Value v) => concrete.Values[v.Id];
        Tape Lower(Tape tape)
        {
            var steps = new Tape(tape.Steps.Select(At).ToArray());
            return graph.Lowering.Fuse ? FuseElementwise.Run(steps) : steps;
        }

        Tape forward = Lower(graph.Forward);
        BackwardPlan[] backward = graph.Backward
            .Select(b => new BackwardPlan(At(b.Root), At(b.Seed), Lower(b.Tape), b.Accumulations.Select(a => new GradientAccumulation(At(a.Target), At(a.Gradient))).ToArray()))
            .ToArray();
        Value[] outputs = graph.Outputs.Select(At).ToArray();
        Value[] retainGrad = graph.RetainGrad.Select(At).ToArray();
        var schedule = new Schedule(forward, backward, outputs, ReadAfterStep(forward, backward, outputs, retainGrad));
        MemoryPlan memory = PlanMemory.Run(schedule, graph.Lowering.ShareMemory);
        ArenaLimit.Check(memory);
        return new CompiledGraph(concrete, outputs, retainGrad, forward, backward, memory) { Lowering = graph.Lowering };
    }

    private static ComputeGraph Rebuild(CompiledGraph graph, Func<Value, Shape> inputShape)
    {
        var builder = new GraphBuilder();
        var rootOfSeed = graph.Backward.ToDictionary(b => b.Seed.Id, b => b.Root.Id);
        foreach (Value v in graph.Graph.Values)
        {
            if (v.IsLeaf)
            {
                TensorType type = v.Kind == ValueKind.Input ? v.Type with { Shape = inputShape(v) }
                    : v.Kind == ValueKind.GradientSeed && rootOfSeed.TryGetValue(v.Id, out int root) ? builder.ValueAt(root).Type
                    : v.Kind == ValueKind.GradientSeed && v.Shape.IsDynamic ? v.Type with { Shape = inputShape(v) }
                    : v.Type;
                builder.AddLeaf(v.Name, v.Kind, type, v.RequiresGrad, v.Data, v.Source);
                continue;
            }

            Value[] inputs = v.Inputs.Select(i => builder.ValueAt(i.Id)).ToArray();
            TensorType[] types = inputs.Select(i => i.Type).ToArray();
            Value built = builder.AddNode(v.Op!, v.Op!.Specialize(types, v.Attributes), inputs, v.Name, v.RequiresGrad, v.Source);
            RequireAgreement(v, built);
        }

        return builder.Build();
    }

    /// <summary>
    /// The concrete value must fill in the symbolic one's shape, and operands that broadcast against each other with
    /// a dynamic size at one axis must be given one size there: the gradient rules were built for equal shapes (no
    /// sum back over that axis), so a size-1 operand there would get a gradient of the wrong shape.
    /// </summary>
    private static void RequireAgreement(Value symbolic, Value concrete)
    {
        string at = symbolic.Source is null ? string.Empty : $" at {symbolic.Source}";
        string operands = string.Join(", ", symbolic.Inputs.Select((input, i) => $"{input.Cited} {input.Shape} → {concrete.Inputs[i].Shape}"));
        if (!symbolic.Shape.Admits(concrete.Shape))
        {
            throw new GraphBuildException($"{symbolic.Op!.Name} '{symbolic.Name}'{at}: the graph was built for {symbolic.Shape}, but these sizes make it {concrete.Shape}. Operands (built → given): {operands}. Feed sizes that keep the fixed dimensions.");
        }

        if (!symbolic.Op!.BroadcastsOperands)
        {
            return;
        }

        for (int axis = 1; axis <= symbolic.Shape.Rank; axis++)
        {
            int? size = null;
            foreach ((Value input, int i) in symbolic.Inputs.Select((input, i) => (input, i)))
            {
                if (axis > input.Shape.Rank || input.Shape[^axis] != Shape.Dynamic)
                {
                    continue;
                }

                int given = concrete.Inputs[i].Shape[^axis];
                if (size is { } other && other != given)
                {
                    throw new GraphBuildException($"{symbolic.Op.Name} '{symbolic.Name}'{at}: its operands share the dynamic dimension {-axis} (-1 in each), which must have one size, but these inputs give it {other} and {given}. Operands (built → given): {operands}. Feed tensors of one size there.");
                }

                size = given;
            }
        }
    }

    /// <summary>What <c>Linearize</c> keeps to the end of the timeline: outputs, roots, retained values, and forward values a backward tape reads.</summary>
    private static HashSet<Value> ReadAfterStep(Tape forward, BackwardPlan[] backward, Value[] outputs, Value[] retainGrad)
    {
        var forwardSteps = forward.Steps.ToHashSet();
        var kept = new HashSet<Value>(outputs.Concat(retainGrad).Concat(backward.Select(b => b.Root)));
        foreach (BackwardPlan plan in backward)
        {
            kept.UnionWith(plan.Tape.Steps.SelectMany(s => s.Inputs).Concat(plan.Accumulations.Select(a => a.Gradient)).Where(forwardSteps.Contains));
        }

        return kept;
    }
}
