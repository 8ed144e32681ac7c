using System.Runtime.CompilerServices;
using Graph.Core.Operations;

namespace Graph.Core;

/// <summary>The convolutional-network layers of the functional layer, with <c>torch.nn.functional</c>'s signatures.</summary>
public static partial class Ops
{
    /// <summary>
    /// 2-D convolution of <paramref name="x"/> [N, C, H, W] with <paramref name="weight"/> [O, C/groups, kH, kW]
    /// plus <paramref name="bias"/> [O] when given, like <c>F.conv2d</c>: the output is [N, O, oH, oW] with
    /// <c>oH = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1</c>, and likewise for the width.
    /// </summary>
    public static Value Conv2d(Value x, Value weight, Value? bias, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        Value y = Operations.Conv2d.Apply(x, weight, new Conv2dSettings(stride, padding, dilation, groups));
        if (bias is null)
        {
            return y;
        }

        if (bias.Shape != new Shape(y.Shape[1]))
        {
            throw new GraphBuildException($"conv2d: the bias '{bias.Name}' {bias.Type} must be [{y.Shape[1]}], one value per output channel of the weight '{weight.Name}' {weight.Type}.");
        }

        return y + bias.Reshape(1, y.Shape[1], 1, 1);
    }

    /// <summary>
    /// 2-D max pooling of <paramref name="x"/> [N, C, H, W] over <paramref name="kernel"/>² windows, like
    /// <c>F.max_pool2d</c>: <paramref name="stride"/> defaults to the kernel; padding counts as −∞ and is at
    /// most half the kernel; the output size rounds down.
    /// </summary>
    public static Value MaxPool2d(Value x, int kernel, int? stride = null, int padding = 0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        return x.Builder.Apply(Operations.MaxPool2d.Instance, new Pool2dSettings(kernel, stride ?? kernel, padding).ToAttributes(), x);
    }

    /// <summary>
    /// 2-D average pooling of <paramref name="x"/> [N, C, H, W] over <paramref name="kernel"/>² windows, like
    /// <c>F.avg_pool2d</c> with its defaults: <paramref name="stride"/> defaults to the kernel, zero padding
    /// counts in the divisor (every window divides by kernel²), the output size rounds down.
    /// </summary>
    public static Value AvgPool2d(Value x, int kernel, int? stride = null, int padding = 0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        return Operations.AvgPool2d.Apply(x, new Pool2dSettings(kernel, stride ?? kernel, padding));
    }

    /// <summary>
    /// Adaptive 2-D average pooling of <paramref name="x"/> [N, C, H, W] to [N, C, <paramref name="outH"/>, <paramref name="outW"/>],
    /// like <c>F.adaptive_avg_pool2d</c>: output row i averages input rows ⌊i·H/outH⌋ to ⌈(i + 1)·H/outH⌉ (exclusive).
    /// </summary>
    public static Value AdaptiveAvgPool2d(Value x, int outH, int outW, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        return Operations.AdaptiveAvgPool2d.Apply(x, outH, outW);
    }

    /// <summary>
    /// Batch normalization of <paramref name="x"/> [N, C, H, W] per channel, like <c>F.batch_norm</c> in a
    /// <c>BatchNorm2d</c>. When <paramref name="training"/>, it normalizes with the batch's mean and biased
    /// variance and updates <paramref name="runningMean"/> and <paramref name="runningVar"/> in place on every
    /// forward pass (<c>r ← (1 − momentum)·r + momentum·batch_stat</c>, the variance unbiased), so they must be
    /// parameters with <c>requiresGrad: false</c>; otherwise it normalizes with the running statistics and
    /// changes nothing.
    /// </summary>
    public static Value BatchNorm2d(Value x, Value weight, Value bias, Value runningMean, Value runningVar, bool training, double momentum = 0.1, double eps = 1e-5, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        if (x.Shape.Rank != 4)
        {
            throw new GraphBuildException($"batch_norm2d: the input '{x.Name}' {x.Type} must be 4-D [batch, channels, height, width].");
        }

        foreach (Value stat in new[] { runningMean, runningVar })
        {
            if (stat.RequiresGrad || (training && stat.Kind != ValueKind.Parameter))
            {
                throw new GraphBuildException($"batch_norm2d: the running statistic '{stat.Name}' {stat.Type} must be a parameter with requiresGrad: false, which training mode updates in place; declare it with builder.Parameter(name, tensor, requiresGrad: false).");
            }
        }

        return x.Builder.Apply(BatchNorm.Instance, BatchNorm.Attributes(training, momentum, eps), x, weight, bias, runningMean, runningVar);
    }

    /// <summary>
    /// Dropout, like <c>F.dropout</c>: when <paramref name="training"/>, each element is zeroed with probability
    /// <paramref name="p"/> and the others are scaled by 1/(1 − p); otherwise <paramref name="x"/> itself. The
    /// mask is drawn anew on every forward pass of a session, as a function of <paramref name="seed"/>, the
    /// node and the pass number only, so runs repeat exactly; the gradient is <c>grad · mask</c> with the same mask.
    /// </summary>
    public static Value Dropout(Value x, double p, bool training, int seed = 0, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(x, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(x);
        if (!(p is >= 0 and <= 1))
        {
            throw new GraphBuildException($"dropout: the probability p = {p} must be in [0, 1].");
        }

        if (!training)
        {
            return x;
        }

        Value mask = x.Builder.Apply(DropoutMask.Instance, OpAttributes.Empty.With("p", p).With("seed", seed), x);
        return x * mask;
    }
}
