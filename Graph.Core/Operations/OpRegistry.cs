using System.Collections.Frozen;

namespace Graph.Core.Operations;

/// <summary>Every op, by its stable name: how files name ops and how tests find every op to check. One line per op.</summary>
internal static class OpRegistry
{
    /// <summary>The ops by <see cref="OpDef.Name"/>.</summary>
    public static FrozenDictionary<string, OpDef> ByName { get; } = new OpDef[]
    {
        Neg.Instance, Exp.Instance, Log.Instance, Sqrt.Instance, Tanh.Instance, Sigmoid.Instance, Relu.Instance, Abs.Instance,
        Pow.Instance, Step.Instance, Sign.Instance, Cast.Instance,
        Add.Instance, Sub.Instance, Mul.Instance, Div.Instance, Equal.Instance,
        Sum.Instance, Mean.Instance, Max.Instance, ArgMaxMask.Instance, All.Instance,
        Reshape.Instance, Permute.Instance, Transpose.Instance, BroadcastTo.Instance, SumTo.Instance, BroadcastLike.Instance, ShapeScalar.Instance,
        Concat.Instance, Slice.Instance, Pad.Instance, Detach.Instance,
        MatMul.Instance,
        Softmax.Instance, LogSoftmax.Instance, NllLoss.Instance, OneHot.Instance,
        BinaryCrossEntropyWithLogits.Instance, MseLoss.Instance,
        Conv2d.Instance, Conv2dInputGrad.Instance, Conv2dWeightGrad.Instance,
        MaxPool2d.Instance, MaxPool2dGrad.Instance, MaxPool2dGather.Instance,
        AvgPool2d.Instance, AvgPool2dGrad.Instance, AdaptiveAvgPool2d.Instance, AdaptiveAvgPool2dGrad.Instance,
        BatchNorm.Instance, BatchNormBackwardReduce.Instance, BatchNormBackwardElementwise.Instance, DropoutMask.Instance,
        IndexSelect.Instance, IndexAdd.Instance, Gather.Instance, ScatterAdd.Instance,
        LayerNormStats.Instance, LayerNorm.Instance, LayerNormBackward.Instance, LayerNormBackwardAffine.Instance, AttentionWeights.Instance, AttentionWeightsBackward.Instance,
        Sin.Instance, Cos.Instance, Rsqrt.Instance, Erf.Instance, Gelu.Instance, Softplus.Instance, LeakyRelu.Instance, Clamp.Instance, ClampMask.Instance,
        Maximum.Instance, Minimum.Instance, PowTensor.Instance, Where.Instance, MaxAll.Instance, ArgMax.Instance,
    }.ToFrozenDictionary(op => op.Name, StringComparer.Ordinal);

    /// <summary>The op named <paramref name="name"/>, or null.</summary>
    public static OpDef? Find(string name) => ByName.GetValueOrDefault(name);
}
