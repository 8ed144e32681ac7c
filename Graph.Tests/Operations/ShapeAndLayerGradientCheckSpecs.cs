using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Tests.Operations;

/// <summary>
/// The gradient checks of issue 10's shape ops, index ops, layers and losses: index_select, gather and their
/// scatter-add gradients (with repeated indices), layer norm and its gradient ops (whose own rules are the second
/// derivatives), and the compositions (unsqueeze, transpose, stack, split, embedding, the losses) under the ops they build.
/// </summary>
internal static class ShapeAndLayerGradientCheckSpecs
{
    /// <summary>Every spec.</summary>
    public static IReadOnlyList<GradientCheckSpec> All { get; } =
    [
        new("reshape", "unsqueeze(-1) then squeeze(0)", [new(1, 3, 4)], (_, v) => v[0].Unsqueeze(-1).Squeeze(0)),
        new("permute", "transpose(0, 2) of 3-D", [new(2, 3, 4)], (_, v) => v[0].Transpose(0, -1)),
        new("concat", "stack along axis 1", [new(2, 3), new(2, 3)], (_, v) => Ops.Stack(v, 1)),
        new("slice", "split [1, 3] and chunk 2", [new(4, 3)], (_, v) => Ops.Split(v[0], [1, 3])[1] * Ops.Chunk(v[0], 2, -1)[0].Sum()),
        new("index_select", "axis 0, repeated", [new(4, 3)], (g, v) => Ops.IndexSelect(v[0], 0, Longs(g, [2, 0, 2]))),
        new("index_select", "axis 1 of 3-D", [new(2, 3, 4)], (g, v) => Ops.IndexSelect(v[0], -2, Longs(g, [2, 1]))),
        new("index_select", "embedding of [2, 3] indices", [new(5, 3)], (g, v) => Ops.Embedding(Longs(g, [4, 0, 4, 1, 2, 4], 2, 3), v[0])),
        new("index_add", "axis 1 into 4, repeated", [new(2, 3)], (g, v) => IndexAdd.Apply(v[0], Longs(g, [1, 3, 1]), 1, 4)),
        new("gather", "axis 1", [new(3, 4)], (g, v) => Ops.Gather(v[0], 1, Longs(g, [0, 3, 3, 3, 1, 2, 0, 0, 0, 1, 2, 3], 3, 4))),
        new("gather", "axis 0, fewer rows", [new(3, 2)], (g, v) => Ops.Gather(v[0], 0, Longs(g, [2, 0, 2, 2], 2, 2))),
        new("gather", "axis 1, indices smaller on axis 0", [new(3, 4)], (g, v) => Ops.Gather(v[0], 1, Longs(g, [3, 0, 0, 2, 2, 2], 2, 3))),
        new("scatter_add", "axis 1 into [3, 4]", [new(3, 2)], (g, v) => ScatterAdd.Apply(v[0], Longs(g, [0, 3, 3, 3, 1, 1], 3, 2), 1, new Shape(3, 4))),
        new("scatter_add", "axis 0 into [4, 3], indices smaller on axis 1", [new(2, 2)], (g, v) => ScatterAdd.Apply(v[0], Longs(g, [3, 0, 3, 3], 2, 2), 0, new Shape(4, 3))),

        new("layer_norm", "last axis, no affine", [new(2, 3, 4)], (_, v) => Ops.LayerNorm(v[0], [4], null, null)),
        new("layer_norm", "last two axes, affine", [new(2, 3, 4), new(3, 4), new(3, 4)], (_, v) => Ops.LayerNorm(v[0], [3, 4], v[1], v[2], eps: 1e-3)),
        new("layer_norm", "weight only", [new(3, 5), new(5)], (_, v) => Ops.LayerNorm(v[0], [5], v[1], null)),
        new("layer_norm_stats", "last axis", [new(3, 5)], (_, v) => LayerNormStats.Apply(v[0], 1, 1e-5)),
        new("layer_norm_backward", "no weight", [new(2, 5), new(2, 5), new(2, 2)], (_, v) => LayerNormBackward.Apply(v[0], v[1], v[2], null, 1)),
        new("layer_norm_backward", "weight, two axes", [new(2, 2, 3), new(2, 2, 3), new(2, 2), new(2, 3)], (_, v) => LayerNormBackward.Apply(v[0], v[1], v[2], v[3], 2)),
        new("layer_norm_backward_affine", "two axes", [new(2, 2, 3), new(2, 2, 3), new(2, 2)], (_, v) => LayerNormBackwardAffine.Apply(v[0], v[1], v[2], 2)),
        new("attention_weights", "attention [2, 3, 4] with a key of 5", [new(2, 3, 4), new(2, 5, 4), new(2, 5, 2)], (_, v) => Ops.ScaledDotProductAttention(v[0], v[1], v[2])),
        new("attention_weights", "causal, 4-D, L > S", [new(1, 2, 4, 3), new(1, 2, 3, 3), new(1, 2, 3, 3)], (_, v) => Ops.ScaledDotProductAttention(v[0], v[1], v[2], causal: true)),
        new("attention_weights_backward", "[2, 3, 4]", [new(2, 3, 4), new(2, 3, 4)], (_, v) => AttentionWeightsBackward.Apply(v[0], Ops.Softmax(v[1], -1), 0.5)),
        new("attention_weights", "causal, L = S", [new(2, 4, 3), new(2, 4, 3), new(2, 4, 2)], (_, v) => Ops.ScaledDotProductAttention(v[0], v[1], v[2], causal: true)),

        new("nll_loss", "cross-entropy [N, C, d] with label smoothing", [new(2, 4, 3)], (g, v) => Ops.CrossEntropy(v[0], Longs(g, [1, 0, 3, 2, 2, 0], 2, 3), labelSmoothing: 0.2)),
        new("nll_loss", "nll_loss of [N, C, d1, d2]", [new(2, 3, 2, 2)], (g, v) => Ops.NllLoss(Ops.LogSoftmax(v[0], 1), Longs(g, [0, 1, 2, 2, 1, 0, 0, 2], 2, 2, 2))),
        new("abs", "l1_loss", [new(3, 4), new(3, 4)], (_, v) => Ops.L1Loss(v[0], v[1])),
        new("relu", "smooth_l1_loss, beta 0.5", [new(3, 4), new(3, 4)], (_, v) => Ops.SmoothL1Loss(v[0], v[1], beta: 0.5)),
    ];

    private static Value Longs(GraphBuilder g, long[] values, params int[] shape) =>
        g.Constant(Tensor.FromArray(values, shape.Length == 0 ? [values.Length] : shape));
}
