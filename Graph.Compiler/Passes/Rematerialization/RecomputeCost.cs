using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Compiler.Passes.Rematerialization;

/// <summary>
/// What recomputing one node costs, in floating-point operations: 2·m·n·k for a product, 2·outputs·(inputs per output)
/// for a convolution or attention scores, and for everything else (elementwise, normalizations, reductions, pooling,
/// moves) the elements it reads and writes, since such ops are bound by memory and touch each element a few times.
/// Views cost nothing: they move no data.
/// </summary>
internal static class RecomputeCost
{
    /// <summary>What recomputing every member of <paramref name="groups"/> once costs.</summary>
    public static double Flops(IReadOnlyList<Value> values, IEnumerable<RecomputeGroup> groups) =>
        groups.Sum(g => g.Members.Sum(id => (double)Flops(values[id])));

    /// <summary>What recomputing <paramref name="v"/> costs.</summary>
    public static long Flops(Value v)
    {
        if (v.Op is not { } op || op.Traits.HasFlag(OpTraits.Alias))
        {
            return 0;
        }

        long outputs = v.Shape.ElementCount;
        switch (op.Name)
        {
            case "matmul":
            {
                (Shape a, _) = MatMul.AsMatrices(v.Input(0).Shape, v.Input(1).Shape, MatMul.IsTransposed(v.Attributes, 0), MatMul.IsTransposed(v.Attributes, 1));
                return 2 * outputs * a[^1];
            }

            case "conv2d":
            {
                Shape weight = v.Input(1).Shape;
                return 2 * outputs * (weight.ElementCount / Math.Max(weight[0], 1));
            }

            case "attention_weights":
                return 2 * outputs * v.Input(0).Shape[^1];
            default:
                return outputs + v.Inputs.Sum(i => i.Shape.ElementCount);
        }
    }
}
