using System.Runtime.CompilerServices;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>Tensor methods, named as in PyTorch. Each builds one node; axes may be negative, counting from the end.</summary>
public sealed partial class Value
{
    /// <summary>Elementwise <c>x^exponent</c>.</summary>
    public Value Pow(double exponent, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.Pow.Instance, Operations.Pow.Attributes(exponent), this);
    }

    /// <summary>Elementwise <c>e^x</c>.</summary>
    public Value Exp([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Exp.Instance);
    }

    /// <summary>Elementwise natural logarithm.</summary>
    public Value Log([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Log.Instance);
    }

    /// <summary>Elementwise square root.</summary>
    public Value Sqrt([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Sqrt.Instance);
    }

    /// <summary>Elementwise hyperbolic tangent.</summary>
    public Value Tanh([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Tanh.Instance);
    }

    /// <summary>Elementwise logistic sigmoid.</summary>
    public Value Sigmoid([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Sigmoid.Instance);
    }

    /// <summary>Elementwise <c>max(x, 0)</c>.</summary>
    public Value Relu([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Relu.Instance);
    }

    /// <summary>Elementwise absolute value.</summary>
    public Value Abs([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Abs.Instance);
    }

    /// <summary>Sum over <paramref name="axes"/> (null: all of them, giving shape []), keeping them as size 1 when <paramref name="keepDim"/>.</summary>
    public Value Sum(int[]? axes = null, bool keepDim = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.Sum.Instance, () => ReductionAttributes.Create(ShapeRules.NormalizeAxes(axes, Shape.Rank), keepDim), this);
    }

    /// <summary>Mean over <paramref name="axes"/> (null: all of them, giving shape []), keeping them as size 1 when <paramref name="keepDim"/>.</summary>
    public Value Mean(int[]? axes = null, bool keepDim = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.Mean.Instance, () => ReductionAttributes.Create(ShapeRules.NormalizeAxes(axes, Shape.Rank), keepDim), this);
    }

    /// <summary>Maximum along <paramref name="axis"/>, like <c>torch.max(x, dim).values</c>.</summary>
    public Value Max(int axis, bool keepDim = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.Max.Instance, () => ReductionAttributes.Create([ShapeRules.NormalizeAxis(axis, Shape.Rank)], keepDim), this);
    }

    /// <summary>
    /// Matrix product with NumPy's rules (1-D, 2-D and batched with broadcasting), like <c>torch.matmul</c>.
    /// A transposed operand (<c>w.T()</c>, or a permute of the last two axes) is read as it is stored, never copied:
    /// the compiler's transpose-folding pass sets the product's flags.
    /// </summary>
    public Value MatMul(Value other, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(other);
        return MatMul(other, false, false);
    }

    /// <summary>The transpose of a 2-D value (1-D and scalar values are returned as they are, as <c>tensor.t()</c>).</summary>
    public Value T([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Transpose.Instance);
    }

    /// <summary>Reorders the axes: output axis i is input axis <paramref name="dims"/>[i].</summary>
    public Value Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return Builder.Apply(Operations.Permute.Instance, () => OpAttributes.Empty.With("dims", NormalizePermutation(dims)), this);
    }

    /// <summary>The same elements under a new shape; one size may be −1, inferred from the others.</summary>
    public Value Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Builder.Apply(Operations.Reshape.Instance, () => OpAttributes.Empty.With("shape", Operations.Reshape.Resolve(Shape, shape)), this);
    }

    /// <summary>Flattens the axes from <paramref name="startDim"/> on into one, like <c>torch.flatten(x, start_dim)</c>.</summary>
    public Value Flatten(int startDim = 0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        if (Shape.Rank == 0)
        {
            return Reshape(1);
        }

        return Builder.Apply(
            Operations.Reshape.Instance,
            () =>
            {
                int start = ShapeRules.NormalizeAxis(startDim, Shape.Rank);
                var flattened = new Shape(Shape.Dims[start..]);
                int[] dims = [.. Shape.Dims[..start], flattened.IsDynamic ? Operations.Reshape.Inferred : (int)flattened.ElementCount];
                return OpAttributes.Empty.With("shape", dims);
            },
            this);
    }

    /// <summary>The same data with no gradient history: gradients stop here, as with <c>tensor.detach()</c>.</summary>
    public Value Detach([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Detach.Instance);
    }

    /// <summary>Elementwise equality with broadcasting, as a bool value.</summary>
    public Value Equal(Value other, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(other);
        return Builder.Apply(Operations.Equal.Instance, OpAttributes.Empty, this, other);
    }

    /// <summary>Whether every element of a bool value is true, as a scalar bool.</summary>
    public Value All([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.All.Instance);
    }

    /// <summary>Converts to <paramref name="dtype"/>, like <c>tensor.to(dtype)</c>.</summary>
    public Value Cast(DType dtype, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.Cast.Instance, Operations.Cast.Attributes(dtype), this);
    }

    /// <summary>Repeats the value along size-1 and missing leading axes to <paramref name="shape"/>, like <c>expand</c>.</summary>
    public Value BroadcastTo(Shape shape, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.BroadcastTo.Instance, OpAttributes.Empty.With("shape", shape.ToArray()), this);
    }

    /// <summary>Sums the value down to <paramref name="shape"/>, which must broadcast to this value's shape, like <c>sum_to_size</c>.</summary>
    public Value SumTo(Shape shape, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.SumTo.Instance, OpAttributes.Empty.With("shape", shape.ToArray()), this);
    }

    /// <summary>Elementwise <c>[x &gt; 0]</c> in this value's dtype: ReLU's gradient mask.</summary>
    internal Value Step() => Unary(Operations.Step.Instance);

    /// <summary>Elementwise sign in this value's dtype: Abs's gradient factor.</summary>
    internal Value Sign() => Unary(Operations.Sign.Instance);

    /// <summary>1 at the first maximum along <paramref name="axis"/>, 0 elsewhere: where Max's gradient goes.</summary>
    internal Value ArgMaxMask(int axis) => Builder.Apply(Operations.ArgMaxMask.Instance, OpAttributes.Empty.With("axis", axis), this);

    /// <summary>Swaps the last two axes (the matrix transpose of a batch of matrices).</summary>
    internal Value SwapLastAxes()
    {
        if (Shape.Rank == 2)
        {
            return T();
        }

        int[] dims = Enumerable.Range(0, Shape.Rank).ToArray();
        (dims[^1], dims[^2]) = (dims[^2], dims[^1]);
        return Permute(dims);
    }

    /// <summary>The product op(this) · op(<paramref name="other"/>), each operand read transposed when its flag is set.</summary>
    internal Value MatMul(Value other, bool transA, bool transB) =>
        Builder.Apply(Operations.MatMul.Instance, Operations.MatMul.Attributes(transA, transB), this, other);

    private int[] NormalizePermutation(int[] dims)
    {
        var normalized = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            normalized[i] = ShapeRules.NormalizeAxis(dims[i], Shape.Rank);
        }

        return normalized;
    }

    private Value Unary(OpDef op) => Builder.Apply(op, OpAttributes.Empty, this);
}
