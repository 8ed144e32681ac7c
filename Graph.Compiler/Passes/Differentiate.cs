using Graph.Core;

namespace Graph.Compiler.Passes;

/// <summary>
/// Reverse-mode differentiation of every gradient root into ordinary IR (the walk is <see cref="ReverseMode"/>):
/// each root gets a <see cref="ValueKind.GradientSeed"/> leaf and ends in accumulations into the gradients of the
/// leaves that require one and of the retained values.
/// </summary>
internal static class Differentiate
{
    public static Differentiated Run(ComputeGraph graph, CompileOptions options)
    {
        GraphBuilder builder = GraphBuilder.Extend(graph);
        int forwardCount = graph.Values.Count;
        Value[] forward = Enumerable.Range(0, forwardCount).Select(id => builder.ValueAt(id)).ToArray();
        Value Resolve(Value v, string option) => forward[ResolveId(graph, v, option)];

        Value[] outputs = options.Outputs.Select(v => Resolve(v, nameof(options.Outputs))).Distinct().ToArray();
        Value[] retain = options.RetainGrad.Select(v => Resolve(v, nameof(options.RetainGrad))).Distinct().ToArray();
        foreach (Value v in retain.Where(v => !v.RequiresGrad))
        {
            throw new ArgumentException($"RetainGrad names '{v.Name}' {v.Type}, which does not require a gradient (it is detached, built under NoGrad, or no leaf with requiresGrad reaches it); remove it from RetainGrad.", nameof(options));
        }

        var roots = new List<(Value, Value, IReadOnlyList<GradientAccumulation>)>();
        foreach (Value root in options.GradientRoots.Select(v => Resolve(v, nameof(options.GradientRoots))).Distinct())
        {
            if (!root.RequiresGrad)
            {
                throw new ArgumentException($"Gradient root '{root.Name}' {root.Type} does not require a gradient: no parameter or input with requiresGrad reaches it through differentiable ops outside NoGrad and Detach. Make a leaf it depends on require a gradient, or remove it from GradientRoots.", nameof(options));
            }

            Value seed = builder.AddLeaf($"{root.Name}.grad_seed", ValueKind.GradientSeed, root.Type, requiresGrad: false, data: null);
            roots.Add((root, seed, Backpropagate(builder, forward, root, seed, retain)));
        }

        return new Differentiated(builder.Build(), forwardCount, outputs, retain, roots);
    }

    private static GradientAccumulation[] Backpropagate(GraphBuilder builder, Value[] forward, Value root, Value seed, Value[] retain)
    {
        Dictionary<int, Value> grads = ReverseMode.Backpropagate(builder, root, seed);
        return grads
            .Where(g => forward[g.Key] is { IsLeaf: true, RequiresGrad: true } || retain.Contains(forward[g.Key]))
            .OrderBy(g => g.Key)
            .Select(g => new GradientAccumulation(forward[g.Key], g.Value))
            .ToArray();
    }

    private static int ResolveId(ComputeGraph graph, Value value, string option)
    {
        ArgumentNullException.ThrowIfNull(value, option);
        try
        {
            return graph.Resolve(value).Id;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"CompileOptions.{option}: {e.Message}", option, e);
        }
    }
}
