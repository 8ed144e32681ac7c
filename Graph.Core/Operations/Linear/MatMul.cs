namespace Graph.Core.Operations;

/// <summary>
/// Matrix product with NumPy's rules, like <c>torch.matmul</c>: 1-D operands are promoted to a row (left)
/// or a column (right) and the promoted axis is dropped from the result; leading batch axes broadcast.
/// Attributes <c>trans_a</c> and <c>trans_b</c> (absent: false) multiply by the transpose of an operand of rank 2
/// or more without materializing it: the compiler folds <c>x.MatMul(w.T())</c> into one product that reads w as it
/// is stored, and the gradient rule uses the flags so the backward pass transposes nothing either.
/// <c>dA = grad · Bᵀ</c>, <c>dB = Aᵀ · grad</c>, each summed over the batch axes it was broadcast along.
/// </summary>
internal sealed class MatMul : OpDef
{
    private MatMul()
    {
    }

    /// <summary>The op.</summary>
    public static MatMul Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "matmul";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["trans_a", "trans_b"];

    /// <inheritdoc/>
    public override string GradFn => "MmBackward";

    /// <inheritdoc/>
    public override int Arity => 2;

    /// <summary>The attributes of a product of op(A) and op(B); only true flags are written.</summary>
    public static OpAttributes Attributes(bool transA, bool transB)
    {
        OpAttributes attributes = OpAttributes.Empty;
        attributes = transA ? attributes.With("trans_a", true) : attributes;
        return transB ? attributes.With("trans_b", true) : attributes;
    }

    /// <summary>Whether the product reads operand A (<paramref name="operand"/> 0) or B (1) transposed.</summary>
    internal static bool IsTransposed(OpAttributes attributes, int operand) => attributes.GetBoolOrDefault(operand == 0 ? "trans_a" : "trans_b", absent: false);

    /// <summary>The operands as the matrices multiplied: a 1-D left operand as [1, K], a 1-D right one as [K, 1], transposed ones with their last two axes swapped.</summary>
    internal static (Shape A, Shape B) AsMatrices(Shape a, Shape b, bool transA = false, bool transB = false) =>
        (a.Rank == 1 ? new Shape(1, a[0]) : transA ? SwapLastTwo(a) : a, b.Rank == 1 ? new Shape(b[0], 1) : transB ? SwapLastTwo(b) : b);

    private static Shape SwapLastTwo(Shape s) => new([.. s.Dims[..^2], s[^1], s[^2]]);

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        ShapeRules.RequireSameDType(inputs[0], inputs[1]);
        ShapeRules.RequireFloatingPoint(inputs[0]);
        Shape a = inputs[0].Shape;
        Shape b = inputs[1].Shape;
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw new OpRuleException("matmul needs operands of rank 1 or more; use * to scale by a scalar");
        }

        bool transA = IsTransposed(attributes, 0);
        bool transB = IsTransposed(attributes, 1);
        if ((transA && a.Rank < 2) || (transB && b.Rank < 2))
        {
            throw new OpRuleException("only operands of rank 2 or more can be read transposed");
        }

        (Shape ma, Shape mb) = AsMatrices(a, b, transA, transB);
        if (ma[^1] != mb[^2] && ma[^1] != Shape.Dynamic && mb[^2] != Shape.Dynamic) // a dynamic inner size is checked when a session runs
        {
            throw new OpRuleException($"inner dimensions differ: {a} has {ma[^1]} columns but {b} has {mb[^2]} rows. The left operand's last size must equal the right operand's {(b.Rank == 1 ? "only" : "second-to-last")} size");
        }

        Shape batch = ShapeRules.Broadcast(new Shape(ma.Dims[..^2]), new Shape(mb.Dims[..^2]));
        var dims = new List<int>(batch.ToArray());
        if (a.Rank > 1)
        {
            dims.Add(ma[^2]);
        }

        if (b.Rank > 1)
        {
            dims.Add(mb[^1]);
        }

        return new TensorType(new Shape(dims.ToArray()), inputs[0].DType);
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value a = node.Input(0);
        Value b = node.Input(1);
        if (a.Shape.Rank >= 2 && b.Shape.Rank >= 2)
        {
            // C = op(A)·op(B): d op(A) = G·op(B)ᵀ and d op(B) = op(A)ᵀ·G, each written as one flagged product.
            bool tA = IsTransposed(node.Attributes, 0);
            bool tB = IsTransposed(node.Attributes, 1);
            Value? dA = !a.RequiresGrad ? null : tA ? b.MatMul(grad, tB, true) : grad.MatMul(b, false, !tB);
            Value? dB = !b.RequiresGrad ? null : tB ? grad.MatMul(a, true, tA) : a.MatMul(grad, !tA, false);
            return [dA, dB];
        }

        (Shape ma, Shape mb) = AsMatrices(a.Shape, b.Shape);
        Value a2 = a.Shape.Rank == 1 ? a.Reshape(ma.ToArray()) : a;
        Value b2 = b.Shape.Rank == 1 ? b.Reshape(mb.ToArray()) : b;

        // Put back the axes a 1-D operand dropped, so grad is [batch..., M, N].
        int kept = (a.Shape.Rank > 1 ? 1 : 0) + (b.Shape.Rank > 1 ? 1 : 0);
        int[] g2 = [.. node.Shape.Dims[..^kept], ma[^2], mb[^1]];
        Value grad2 = grad.Reshape(g2);
        Value? da = a.RequiresGrad ? grad2.MatMul(b2.SwapLastAxes()).SumTo(ma).Reshape(a.Shape.ToArray()) : null;
        Value? db = b.RequiresGrad ? a2.SwapLastAxes().MatMul(grad2).SumTo(mb).Reshape(b.Shape.ToArray()) : null;
        return [da, db];
    }
}
