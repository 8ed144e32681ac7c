using Graph.Core;
using static Graph.Tests.Onnx.OnnxModels;
using Proto = global::Onnx;

namespace Graph.Tests.Onnx;

/// <summary>A small CNN as torch.onnx.export writes one: Conv, BatchNormalization, Relu, MaxPool, the Shape → Gather → Concat → Reshape flatten, Gemm, Softmax.</summary>
internal static class OnnxSamples
{
    public static Proto.ModelProto SmallCnn() => Model(
        [Input("image", 2, 3, 8, 8)],
        [
            Node("Conv", ["image", "conv.weight", "conv.bias"], ["c"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1)),
            Node("BatchNormalization", ["c", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"], ["b"]),
            Node("Relu", ["b"], ["r"]),
            Node("MaxPool", ["r"], ["p"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)),
            Node("Shape", ["p"], ["shape"]),
            Node("Gather", ["shape", "zero"], ["batch"], Int("axis", 0)),
            Node("Unsqueeze", ["batch", "axes"], ["batch1"]),
            Node("Concat", ["batch1", "minus1"], ["target"], Int("axis", 0)),
            Node("Reshape", ["p", "target"], ["flat"]),
            Node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], Int("transB", 1)),
            Node("Softmax", ["logits"], ["probabilities"], Int("axis", 1)),
        ],
        ["logits", "probabilities"],
        [
            Initializer("conv.weight", Tensor.Randn(new Shape(4, 3, 3, 3), seed: 1)),
            Initializer("conv.bias", Tensor.Randn(new Shape(4), seed: 2)),
            Initializer("bn.weight", Tensor.Randn(new Shape(4), seed: 3)),
            Initializer("bn.bias", Tensor.Randn(new Shape(4), seed: 4)),
            Initializer("bn.running_mean", Tensor.Randn(new Shape(4), seed: 5)),
            Initializer("bn.running_var", Tensor.Rand(new Shape(4), seed: 6)),
            Initializer("zero", Tensor.Zeros(Shape.Scalar, DType.Int64)),
            IntsInitializer("axes", 0),
            IntsInitializer("minus1", -1),
            Initializer("fc.weight", Tensor.Randn(new Shape(5, 64), seed: 7)),
            Initializer("fc.bias", Tensor.Randn(new Shape(5), seed: 8)),
        ]);
}
