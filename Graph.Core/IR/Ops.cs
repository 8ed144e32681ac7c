using System.Runtime.CompilerServices;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>The functional layer, like <c>torch.nn.functional</c>: ops that take several values or read better as functions.</summary>
public static partial class Ops
{
    /// <summary>Joins <paramref name="values"/> along <paramref name="axis"/>, like <c>torch.cat</c>.</summary>
    public static Value Concat(IReadOnlyList<Value> values, int axis, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(values, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new GraphBuildException("concat needs at least one value to join.");
        }

        return values[0].Builder.Apply(Operations.Concat.Instance, () => OpAttributes.Empty.With("axis", ShapeRules.NormalizeAxis(axis, Math.Max(values[0].Shape.Rank, 1))), values.ToArray());
    }

    /// <summary>Elements <paramref name="start"/> to <paramref name="end"/> (exclusive) along <paramref name="axis"/>, like <c>x.narrow</c> or <c>x[..., start:end]</c>.</summary>
    public static Value Slice(Value value, int axis, int start, int end, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(value, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(value);
        return value.Builder.Apply(
            Operations.Slice.Instance,
            () => OpAttributes.Empty.With("axis", ShapeRules.NormalizeAxis(axis, value.Shape.Rank)).With("start", start).With("end", end),
            value);
    }

    /// <summary>Adds <paramref name="before"/> and <paramref name="after"/> zeros along <paramref name="axis"/>.</summary>
    public static Value Pad(Value value, int axis, int before, int after, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(value, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(value);
        return value.Builder.Apply(
            Operations.Pad.Instance,
            () => OpAttributes.Empty.With("axis", ShapeRules.NormalizeAxis(axis, value.Shape.Rank)).With("before", before).With("after", after),
            value);
    }

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public static Value Softmax(Value value, int axis, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(value, sourceFile, sourceLine);
        return AlongAxis(Operations.Softmax.Instance, value, axis);
    }

    /// <summary>Log-softmax along <paramref name="axis"/>, computed stably.</summary>
    public static Value LogSoftmax(Value value, int axis, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(value, sourceFile, sourceLine);
        return AlongAxis(Operations.LogSoftmax.Instance, value, axis);
    }

    /// <summary>Binary cross-entropy on logits, mean over all elements, like <c>F.binary_cross_entropy_with_logits</c>.</summary>
    public static Value BinaryCrossEntropyWithLogits(Value logits, Value targets, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(logits, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        return logits.Builder.Apply(Operations.BinaryCrossEntropyWithLogits.Instance, OpAttributes.Empty, logits, targets);
    }

    /// <summary>Mean squared error, like <c>F.mse_loss</c>.</summary>
    public static Value MseLoss(Value input, Value target, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(input, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return input.Builder.Apply(Operations.MseLoss.Instance, OpAttributes.Empty, input, target);
    }

    /// <summary><c>x · weightᵀ + bias</c> with <paramref name="weight"/> [out, in], like <c>F.linear</c>.</summary>
    public static Value Linear(Value x, Value weight, Value? bias, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Shape.Rank != 2)
        {
            throw new GraphBuildException($"linear: the weight '{weight.Name}' {weight.Type} must be 2-D [out_features, in_features].");
        }

        Value y = x.MatMul(weight.T());
        return bias is null ? y : y + bias;
    }

    /// <summary>int64 class indices to one-hot vectors of <paramref name="dtype"/> with <paramref name="numClasses"/> entries, like <c>F.one_hot</c>.</summary>
    public static Value OneHot(Value indices, int numClasses, DType dtype = DType.Float32, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(indices, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(indices);
        return indices.Builder.Apply(Operations.OneHot.Instance, OpAttributes.Empty.With("num_classes", numClasses).With("dtype", dtype), indices);
    }

    private static Value AlongAxis(OpDef op, Value value, int axis)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Builder.Apply(op, () => OpAttributes.Empty.With("axis", ShapeRules.NormalizeAxis(axis, value.Shape.Rank)), value);
    }
}
