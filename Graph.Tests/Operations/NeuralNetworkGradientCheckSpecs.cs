using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Tests.Operations;

/// <summary>
/// The gradient checks of the convolutional-network ops: conv2d with stride, padding, dilation, groups and the
/// pointwise path; pooling; batch normalization in both modes; and the gradient ops themselves (their own
/// gradient rules are the second derivatives of the layers). Shapes stay tiny: every element costs two forward passes.
/// </summary>
internal static class NeuralNetworkGradientCheckSpecs
{
    private static readonly Conv2dSettings s_plain = new(1, 0, 1, 1);

    /// <summary>Every spec.</summary>
    public static IReadOnlyList<GradientCheckSpec> All { get; } =
    [
        new("conv2d", "3×3 with bias", [new(2, 2, 4, 4), new(3, 2, 3, 3), new(3)], (_, v) => Ops.Conv2d(v[0], v[1], v[2])),
        new("conv2d", "stride 2, padding 1", [new(1, 2, 5, 5), new(2, 2, 3, 3)], (_, v) => Ops.Conv2d(v[0], v[1], null, stride: 2, padding: 1)),
        new("conv2d", "dilation 2, padding 2", [new(1, 1, 5, 5), new(2, 1, 3, 3)], (_, v) => Ops.Conv2d(v[0], v[1], null, padding: 2, dilation: 2)),
        new("conv2d", "groups 2, 2×3 kernel", [new(1, 4, 3, 4), new(4, 2, 2, 3)], (_, v) => Ops.Conv2d(v[0], v[1], null, groups: 2)),
        new("conv2d", "stride 3 skips input rows", [new(1, 1, 6, 6), new(2, 1, 2, 2)], (_, v) => Ops.Conv2d(v[0], v[1], null, stride: 3)),
        new("conv2d", "pointwise 1×1", [new(2, 3, 3, 3), new(2, 3, 1, 1)], (_, v) => Ops.Conv2d(v[0], v[1], null)),
        new("conv2d", "1×1 with stride 2", [new(1, 2, 5, 5), new(2, 2, 1, 1)], (_, v) => Ops.Conv2d(v[0], v[1], null, stride: 2)),
        new("conv2d_input_grad", "3×3", [new(1, 2, 2, 2), new(2, 2, 3, 3)], (_, v) => Conv2dInputGrad.Apply(v[0], v[1], s_plain, new Shape(1, 2, 4, 4))),
        new("conv2d_input_grad", "stride 2, padding 1, groups 2", [new(1, 4, 3, 3), new(4, 1, 3, 3)], (_, v) => Conv2dInputGrad.Apply(v[0], v[1], new(2, 1, 1, 2), new Shape(1, 2, 5, 5))),
        new("conv2d_input_grad", "pointwise 1×1", [new(1, 2, 3, 3), new(2, 3, 1, 1)], (_, v) => Conv2dInputGrad.Apply(v[0], v[1], s_plain, new Shape(1, 3, 3, 3))),
        new("conv2d_weight_grad", "3×3", [new(1, 2, 2, 2), new(1, 2, 4, 4)], (_, v) => Conv2dWeightGrad.Apply(v[0], v[1], s_plain, new Shape(2, 2, 3, 3))),
        new("conv2d_weight_grad", "dilation 2, stride 3, groups 2", [new(1, 2, 2, 2), new(1, 2, 6, 6)], (_, v) => Conv2dWeightGrad.Apply(v[0], v[1], new(3, 1, 2, 2), new Shape(2, 1, 2, 2))),

        new("max_pool2d", "2×2", [new(2, 2, 4, 4)], (_, v) => Ops.MaxPool2d(v[0], 2)),
        new("max_pool2d", "3×3, stride 2, padding 1", [new(1, 2, 5, 5)], (_, v) => Ops.MaxPool2d(v[0], 3, stride: 2, padding: 1)),
        new("max_pool2d_grad", "3×3, stride 2, padding 1", [new(1, 2, 3, 3)], (g, v) => MaxPool2dGrad.Apply(v[0], FixedInput(g, new Shape(1, 2, 5, 5)), new(3, 2, 1))),
        new("max_pool2d_gather", "2×2, stride 1", [new(1, 2, 4, 4)], (g, v) => MaxPool2dGather.Apply(v[0], FixedInput(g, new Shape(1, 2, 4, 4)), new(2, 1, 0))),
        new("avg_pool2d", "2×2", [new(2, 2, 4, 4)], (_, v) => Ops.AvgPool2d(v[0], 2)),
        new("avg_pool2d", "3×3, stride 2, padding 1", [new(1, 2, 5, 5)], (_, v) => Ops.AvgPool2d(v[0], 3, stride: 2, padding: 1)),
        new("avg_pool2d_grad", "3×3, stride 2, padding 1", [new(1, 2, 3, 3)], (_, v) => AvgPool2dGrad.Apply(v[0], new(3, 2, 1), new Shape(1, 2, 5, 5))),
        new("adaptive_avg_pool2d", "5×5 to 3×3", [new(1, 2, 5, 5)], (_, v) => Ops.AdaptiveAvgPool2d(v[0], 3, 3)),
        new("adaptive_avg_pool2d", "3×4 to 5×2", [new(2, 1, 3, 4)], (_, v) => Ops.AdaptiveAvgPool2d(v[0], 5, 2)),
        new("adaptive_avg_pool2d_grad", "5×5 from 3×3", [new(1, 2, 3, 3)], (_, v) => AdaptiveAvgPool2dGrad.Apply(v[0], new Shape(1, 2, 5, 5))),

        new("batch_norm", "training", [new(2, 3, 2, 2), new(3), new(3)], (g, v) => Ops.BatchNorm2d(v[0], v[1], v[2], RunningStat(g, "mean", 0.1), RunningStat(g, "var", 0.7), training: true)),
        new("batch_norm", "training, 2 channels, odd runs", [new(3, 2, 1, 5), new(2), new(2)], (g, v) => Ops.BatchNorm2d(v[0], v[1], v[2], RunningStat(g, "mean", 0.1, 2), RunningStat(g, "var", 0.7, 2), training: true)),
        new("batch_norm_backward_reduce", "4-d", [new(2, 3, 2, 2), new(2, 3, 2, 2)], (_, v) => BatchNormBackwardReduce.Apply(v[0], v[1])),
        new("batch_norm_backward_elemt", "4-d", [new(2, 3, 2, 2), new(2, 3, 2, 2), new(3, 3)], (_, v) => BatchNormBackwardElementwise.Apply(v[0], v[1], v[2])),
        new("batch_norm", "evaluation", [new(2, 3, 2, 2), new(3), new(3)], (g, v) => Ops.BatchNorm2d(v[0], v[1], v[2], RunningStat(g, "mean", 0.3), RunningStat(g, "var", 1.5), training: false, eps: 1e-3)),
    ];

    /// <summary>An input the check does not differentiate: max pooling's argmax is piecewise constant in it.</summary>
    private static Value FixedInput(GraphBuilder g, Shape shape) => g.Constant(Tensor.Randn(shape, seed: 17, DType.Float64), "pooled");

    private static Value RunningStat(GraphBuilder g, string name, double value, int channels = 3) =>
        g.Parameter($"running_{name}", Tensor.Full(new Shape(channels), value, DType.Float64), requiresGrad: false);
}
