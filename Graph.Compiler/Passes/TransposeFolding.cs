using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Compiler.Passes;

/// <summary>
/// Transpose folding: a matrix product reads a transposed operand as it is stored (MatMul's <c>trans_a</c> /
/// <c>trans_b</c>) instead of waiting for the transpose to be materialized, and the transpose of a product that nothing
/// else reads becomes the swapped product, <c>(op(A)·op(B))ᵀ = op(B)ᵀ·op(A)ᵀ</c>: the backward of <c>x·wᵀ</c> asks for
/// <c>(xᵀ·g)ᵀ</c>, which is <c>gᵀ·x</c>. A transpose here is <c>T()</c> of a matrix or a permutation that swaps the
/// last two axes only. It runs after differentiation, so the gradient flags of the transposes no longer matter (a
/// transpose under NoGrad has already stopped its gradient). Folded transposes and products are left to dead-code
/// elimination; ids and names stay.
/// </summary>
internal static class TransposeFolding
{
    public static Differentiated Run(Differentiated d)
    {
        int[] uses = Uses(d);
        bool changed = false;
        ComputeGraph graph = GraphBuilder.Rewrite(d.Graph, (v, inputs) =>
        {
            NodeForm? form = v.Op is MatMul ? ReadOperandsAsStored(v, inputs)
                : IsLastTwoSwap(v) && inputs[0].Op is MatMul && uses[v.Input(0).Id] == 1 ? SwappedProduct(inputs[0])
                : null;
            changed |= form is not null;
            return form;
        }).Build();
        return changed ? d.WithGraph(graph) : d;
    }

    /// <summary>The product with each transposed operand replaced by what it transposes (repeatedly), its flag flipped.</summary>
    private static NodeForm? ReadOperandsAsStored(Value product, Value[] inputs)
    {
        if (inputs[0].Shape.Rank < 2 || inputs[1].Shape.Rank < 2)
        {
            return null; // a 1-D operand is promoted to a row or column, which has no stored transpose to read
        }

        bool transA = MatMul.IsTransposed(product.Attributes, 0);
        bool transB = MatMul.IsTransposed(product.Attributes, 1);
        Value a = Unwrap(inputs[0], ref transA);
        Value b = Unwrap(inputs[1], ref transB);
        return ReferenceEquals(a, inputs[0]) && ReferenceEquals(b, inputs[1])
            ? null
            : new NodeForm(MatMul.Instance, [a, b], MatMul.Attributes(transA, transB), null);
    }

    private static Value Unwrap(Value operand, ref bool transposed)
    {
        while (IsLastTwoSwap(operand))
        {
            operand = operand.Input(0);
            transposed = !transposed;
        }

        return operand;
    }

    /// <summary><c>(op(A)·op(B))ᵀ</c> as <c>op(B)ᵀ·op(A)ᵀ</c>.</summary>
    private static NodeForm? SwappedProduct(Value product)
    {
        Value a = product.Input(0);
        Value b = product.Input(1);
        if (a.Shape.Rank < 2 || b.Shape.Rank < 2)
        {
            return null;
        }

        bool transA = MatMul.IsTransposed(product.Attributes, 0);
        bool transB = MatMul.IsTransposed(product.Attributes, 1);
        return new NodeForm(MatMul.Instance, [b, a], MatMul.Attributes(!transB, !transA), null);
    }

    /// <summary>Whether <paramref name="v"/> swaps the last two axes of a value of rank 2 or more and keeps the others.</summary>
    private static bool IsLastTwoSwap(Value v)
    {
        if (v.Shape.Rank < 2)
        {
            return false;
        }

        if (v.Op is Transpose)
        {
            return true;
        }

        if (v.Op is not Permute)
        {
            return false;
        }

        int[] dims = v.Attributes.GetInts("dims");
        int n = dims.Length;
        for (int i = 0; i < n - 2; i++)
        {
            if (dims[i] != i)
            {
                return false;
            }
        }

        return dims[n - 2] == n - 1 && dims[n - 1] == n - 2;
    }

    /// <summary>How many times each value is read: by operands, and once more as an output, root, seed, retained value or accumulated gradient.</summary>
    private static int[] Uses(Differentiated d)
    {
        var uses = new int[d.Graph.Values.Count];
        foreach (Value v in d.Graph.Values)
        {
            foreach (Value input in v.Inputs)
            {
                uses[input.Id]++;
            }
        }

        foreach (Value v in d.Outputs.Concat(d.RetainGrad))
        {
            uses[v.Id]++;
        }

        foreach ((Value root, Value seed, IReadOnlyList<GradientAccumulation> accumulations) in d.Roots)
        {
            uses[root.Id]++;
            uses[seed.Id]++;
            foreach (GradientAccumulation a in accumulations)
            {
                uses[a.Gradient.Id]++;
            }
        }

        return uses;
    }
}
