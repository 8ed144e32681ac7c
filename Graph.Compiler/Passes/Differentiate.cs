using Graph.Core;

namespace Graph.Compiler.Passes;

/// <summary>
/// Reverse-mode differentiation into ordinary IR. For each gradient root, walk the forward graph in reverse
/// topological order from the root; each value that requires a gradient asks its op for the vector-Jacobian
/// product; contributions to a value that fans out are summed as they arrive; a contribution of a broadcast
/// shape is summed back to its operand's shape. Values that need no gradient (detached, built under
/// NoGrad, frozen, non-differentiable) are never visited, so their paths are pruned.
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
            roots.Add((root, seed, Backpropagate(forward, root, seed, retain)));
        }

        return new Differentiated(builder.Build(), forwardCount, outputs, retain, roots);
    }

    private static GradientAccumulation[] Backpropagate(Value[] forward, Value root, Value seed, Value[] retain)
    {
        var grads = new Dictionary<int, Value> { [root.Id] = seed };
        for (int id = root.Id; id >= 0; id--)
        {
            Value node = forward[id];
            if (node.IsLeaf || !node.RequiresGrad || !grads.TryGetValue(id, out Value? grad))
            {
                continue;
            }

            Value?[] contributions = node.Op!.Gradient(node, grad);
            for (int i = 0; i < contributions.Length; i++)
            {
                Value input = node.Input(i);
                if (contributions[i] is not Value contribution || !input.RequiresGrad)
                {
                    continue;
                }

                if (contribution.Shape != input.Shape)
                {
                    contribution = contribution.SumTo(input.Shape);
                }

                grads[input.Id] = grads.TryGetValue(input.Id, out Value? sum) ? sum + contribution : contribution;
            }
        }

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
