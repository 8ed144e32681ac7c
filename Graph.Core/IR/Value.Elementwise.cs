using System.Runtime.CompilerServices;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>The elementwise functions and reductions of issue 10, named and meant as in PyTorch.</summary>
public sealed partial class Value
{
    /// <summary>Elementwise sine, like <c>torch.sin</c>.</summary>
    public Value Sin([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Sin.Instance);
    }

    /// <summary>Elementwise cosine, like <c>torch.cos</c>.</summary>
    public Value Cos([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Cos.Instance);
    }

    /// <summary>Elementwise <c>1 / √x</c>, like <c>torch.rsqrt</c>.</summary>
    public Value Rsqrt([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Rsqrt.Instance);
    }

    /// <summary>Elementwise error function, like <c>torch.erf</c>.</summary>
    public Value Erf([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Unary(Operations.Erf.Instance);
    }

    /// <summary>GELU, <c>x · Φ(x)</c>, like <c>F.gelu</c>; <paramref name="tanhApproximation"/> is torch's <c>approximate='tanh'</c>.</summary>
    public Value Gelu(bool tanhApproximation = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.Gelu.Instance, Operations.Gelu.Attributes(tanhApproximation), this);
    }

    /// <summary>
    /// SiLU (swish), <c>x · sigmoid(x)</c>, like <c>F.silu</c>. A composition: torch defines it so, and the product rule
    /// gives torch's SiluBackward, <c>grad · s · (1 + x · (1 − s))</c>.
    /// </summary>
    public Value Silu([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return this * Sigmoid();
    }

    /// <summary>Softplus, <c>log(1 + e^(βx)) / β</c>, linear where <c>βx &gt; threshold</c>, like <c>F.softplus</c>.</summary>
    public Value Softplus(double beta = 1, double threshold = 20, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.Softplus.Instance, Operations.Softplus.Attributes(beta, threshold), this);
    }

    /// <summary>Leaky ReLU, like <c>F.leaky_relu</c>.</summary>
    public Value LeakyRelu(double negativeSlope = 0.01, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.LeakyRelu.Instance, Operations.LeakyRelu.Attributes(negativeSlope), this);
    }

    /// <summary>Clamps to [<paramref name="min"/>, <paramref name="max"/>], like <c>torch.clamp</c>; a null bound is no bound.</summary>
    public Value Clamp(double? min, double? max, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        if (min is null && max is null)
        {
            throw new GraphBuildException($"clamp of '{Name}' {Shape}: at least one of min and max must be given, as in torch.clamp.");
        }

        return Builder.Apply(Operations.Clamp.Instance, Operations.Clamp.Attributes(min, max), this);
    }

    /// <summary>Elementwise maximum with broadcasting, like <c>torch.maximum</c>; a tie splits the gradient evenly.</summary>
    public Value Maximum(Value other, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(other);
        return Builder.Apply(Operations.Maximum.Instance, OpAttributes.Empty, this, other);
    }

    /// <summary>Elementwise minimum with broadcasting, like <c>torch.minimum</c>; a tie splits the gradient evenly.</summary>
    public Value Minimum(Value other, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(other);
        return Builder.Apply(Operations.Minimum.Instance, OpAttributes.Empty, this, other);
    }

    /// <summary>Elementwise <c>this^exponent</c> with broadcasting, like <c>torch.pow(Tensor, Tensor)</c>; both get a gradient.</summary>
    public Value Pow(Value exponent, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(exponent);
        return Builder.Apply(PowTensor.Instance, OpAttributes.Empty, this, exponent);
    }

    /// <summary>Sum over one axis, like <c>x.sum(dim)</c>.</summary>
    public Value Sum(int axis, bool keepDim = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Sum([axis], keepDim);
    }

    /// <summary>Mean over one axis, like <c>x.mean(dim)</c>.</summary>
    public Value Mean(int axis, bool keepDim = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Mean([axis], keepDim);
    }

    /// <summary>
    /// Minimum along <paramref name="axis"/>, like <c>torch.min(x, dim).values</c>: <c>−max(−x)</c>, exact (negation
    /// rounds nothing), so the gradient goes to the first minimal element as torch's does.
    /// </summary>
    public Value Min(int axis, bool keepDim = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return -(-this).Max(axis, keepDim);
    }

    /// <summary>The maximum of all elements, shape [], like <c>torch.max(x)</c>; ties share the gradient evenly.</summary>
    public Value Max([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(MaxAll.Instance, () => ReductionAttributes.Create(Enumerable.Range(0, Shape.Rank).ToArray(), keepDim: false), this);
    }

    /// <summary>The minimum of all elements, shape [], like <c>torch.min(x)</c>: <c>−max(−x)</c>, so ties share the gradient evenly.</summary>
    public Value Min([CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return -(-this).Max();
    }

    /// <summary>The index of the first maximum along <paramref name="axis"/>, int64, like <c>torch.argmax</c>; not differentiable.</summary>
    public Value ArgMax(int axis, bool keepDim = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Builder.Apply(Operations.ArgMax.Instance, () => ReductionAttributes.Create([ShapeRules.NormalizeAxis(axis, Shape.Rank)], keepDim), this);
    }

    /// <summary>
    /// Variance over <paramref name="axes"/> (null: all), like <c>torch.var(x, dim, unbiased, keepdim)</c>: the mean
    /// square deviation, divided by n − 1 when <paramref name="unbiased"/>. A composition of mean, subtraction, product
    /// and sum, all differentiable, whose gradient is torch's <c>2 (x − mean) / (n − 1)</c>.
    /// </summary>
    public Value Var(int[]? axes = null, bool keepDim = false, bool unbiased = true, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        int[] normalized = ShapeRules.NormalizeAxes(axes, Shape.Rank);
        if (normalized.Any(axis => Shape[axis] == Core.Shape.Dynamic))
        {
            throw new GraphBuildException($"Var{Builder.AtSource}: {Cited} {Type} has a dynamic size along the axes [{string.Join(", ", normalized)}], and the n − 1 of an unbiased variance needs it fixed. Reduce over fixed axes, or compute ((x - x.Mean(axes, keepDim: true)).Pow(2)).Mean(axes) for the biased variance.");
        }

        long count = 1;
        foreach (int axis in normalized)
        {
            count *= Shape[axis];
        }

        Value deviation = this - Mean(normalized, keepDim: true);
        return (deviation * deviation).Sum(normalized, keepDim) / (unbiased ? count - 1 : count);
    }

    /// <summary>Standard deviation, <c>√Var</c>, like <c>torch.std</c>.</summary>
    public Value Std(int[]? axes = null, bool keepDim = false, bool unbiased = true, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        return Var(axes, keepDim, unbiased).Sqrt();
    }

    /// <summary>
    /// <c>log Σ e^x</c> over <paramref name="axes"/>, like <c>torch.logsumexp</c>, stable for large inputs: the maximum
    /// (detached: it cancels out of the value and so out of the gradient, which is the softmax) is taken out first.
    /// </summary>
    public Value LogSumExp(int[] axes, bool keepDim = false, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = Builder.At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(axes);
        int[] normalized = ShapeRules.NormalizeAxes(axes, Shape.Rank);
        Value max = this;
        foreach (int axis in normalized)
        {
            max = max.Max(axis, keepDim: true);
        }

        max = max.Detach();
        Value result = (this - max).Exp().Sum(normalized, keepDim: true).Log() + max;
        return keepDim ? result : result.Reshape(ShapeRules.Reduce(Shape, normalized, keepDim: false).ToArray());
    }

    /// <summary>A scalar constant of this value's dtype, for gradient rules.</summary>
    internal Value ScalarOf(double scalar) => ScalarLike(scalar);

    /// <summary>Clamp's gradient mask, <c>[min ≤ x ≤ max]</c>, for <paramref name="clampAttributes"/>.</summary>
    internal Value ClampMask(OpAttributes clampAttributes) => Builder.Apply(Operations.ClampMask.Instance, clampAttributes, this);
}
