namespace Graph.Core;

/// <summary>
/// Reverse-mode differentiation into ordinary IR, the one walk both <see cref="GraphBuilder.Grad"/> and the
/// compiler's Differentiate pass use: from a root down to id 0, each value that requires a gradient and has
/// received one asks its op for the vector-Jacobian product; contributions to a value that fans out are summed as
/// they arrive; a contribution of a broadcast shape is summed back to its operand's shape (once, here, for every op).
/// Values that need no gradient (detached, built under NoGrad, frozen, non-differentiable) are never visited.
/// </summary>
internal static class ReverseMode
{
    /// <summary>
    /// The gradient of <paramref name="root"/> (seeded with <paramref name="seed"/>) with respect to every value
    /// it reached, by id. The new nodes are added to <paramref name="builder"/>, which must hold <paramref name="root"/>.
    /// </summary>
    public static Dictionary<int, Value> Backpropagate(GraphBuilder builder, Value root, Value seed)
    {
        var grads = new Dictionary<int, Value> { [root.Id] = seed };
        for (int id = root.Id; id >= 0; id--)
        {
            Value node = builder.ValueAt(id);
            if (node.IsLeaf || !node.RequiresGrad || !grads.TryGetValue(id, out Value? grad))
            {
                continue;
            }

            using GraphBuilder.SourceScope scope = builder.BackwardOf(node);
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

        return grads;
    }
}
