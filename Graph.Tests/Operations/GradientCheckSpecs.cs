using Graph.Core;

namespace Graph.Tests.Operations;

/// <summary>The gradient checks, at least one per differentiable op, with broadcasting and keepDim variants.</summary>
public static class GradientCheckSpecs
{
    private static readonly Shape s_m34 = new(3, 4);

    /// <summary>Every spec.</summary>
    public static IReadOnlyList<GradientCheckSpec> All { get; } =
    [
        Unary("neg", x => -x),
        Unary("exp", x => x.Exp()),
        Unary("log", x => x.Log(), InputDomain.Positive),
        Unary("sqrt", x => x.Sqrt(), InputDomain.Positive),
        Unary("tanh", x => x.Tanh()),
        Unary("sigmoid", x => x.Sigmoid()),
        Unary("relu", x => x.Relu()),
        Unary("abs", x => x.Abs()),
        new("pow", "cube", [s_m34], (_, v) => v[0].Pow(3)),
        new("pow", "square", [s_m34], (_, v) => v[0].Pow(2)),
        new("pow", "x^2.5", [s_m34], (_, v) => v[0].Pow(2.5), InputDomain.Positive),
        new("pow", "x^-1.5", [s_m34], (_, v) => v[0].Pow(-1.5), InputDomain.Positive),
        new("pow", "x^0", [s_m34], (_, v) => v[0].Pow(0) * v[0]),
        new("cast", "float64 to float64", [s_m34], (_, v) => v[0].Cast(DType.Float64)),

        .. Binary("add", (a, b) => a + b),
        .. Binary("sub", (a, b) => a - b),
        .. Binary("mul", (a, b) => a * b),
        .. Binary("div", (a, b) => a / b, InputDomain.Positive),
        new("add", "with a double", [s_m34], (_, v) => 2.5 + v[0]),
        new("div", "double by value", [s_m34], (_, v) => 2.5 / v[0], InputDomain.Positive),

        new("sum", "all axes", [s_m34], (_, v) => v[0].Sum()),
        new("sum", "axis 1", [new(2, 3, 4)], (_, v) => v[0].Sum([1])),
        new("sum", "axes 0 and -1, keepDim", [new(2, 3, 4)], (_, v) => v[0].Sum([0, -1], keepDim: true)),
        new("mean", "all axes", [s_m34], (_, v) => v[0].Mean()),
        new("mean", "axis 0, keepDim", [s_m34], (_, v) => v[0].Mean([0], keepDim: true)),
        new("mean", "axis -1", [new(2, 3, 4)], (_, v) => v[0].Mean([-1])),
        new("max", "axis 1", [s_m34], (_, v) => v[0].Max(1)),
        new("max", "axis 0, keepDim", [new(3, 4, 2)], (_, v) => v[0].Max(0, keepDim: true)),

        new("reshape", "[3, 4] to [2, -1]", [s_m34], (_, v) => v[0].Reshape(2, -1)),
        new("reshape", "flatten from axis 1", [new(2, 3, 4)], (_, v) => v[0].Flatten(1)),
        new("permute", "[2, 0, 1]", [new(2, 3, 4)], (_, v) => v[0].Permute(2, 0, -2)),
        new("transpose", "2-D", [s_m34], (_, v) => v[0].T()),
        new("broadcast_to", "[3, 1] to [2, 3, 4]", [new(3, 1)], (_, v) => v[0].BroadcastTo(new Shape(2, 3, 4))),
        new("broadcast_like", "[3, 1] like a [2, 3, 4] constant", [new(3, 1)], (g, v) => g.Apply(Graph.Core.Operations.BroadcastLike.Instance, OpAttributes.Empty, v[0], g.Constant(Tensor.Zeros(new Shape(2, 3, 4), DType.Float64)))),
        new("sum_to", "[2, 3, 4] to [3, 1]", [new(2, 3, 4)], (_, v) => v[0].SumTo(new Shape(3, 1))),
        new("concat", "three along axis 1", [new(2, 1, 3), new(2, 2, 3), new(2, 3, 3)], (_, v) => Ops.Concat(v, 1)),
        new("concat", "along the last axis", [new(2, 3), new(2, 1)], (_, v) => Ops.Concat(v, -1)),
        new("slice", "axis 1 [1, 3)", [new(2, 4, 3)], (_, v) => Ops.Slice(v[0], 1, 1, 3)),
        new("pad", "axis 0, (1, 2)", [s_m34], (_, v) => Ops.Pad(v[0], 0, 1, 2)),

        new("matmul", "[3, 4] · [4, 5]", [s_m34, new(4, 5)], (_, v) => v[0].MatMul(v[1])),
        new("matmul", "1-D · 2-D", [new(4), new(4, 5)], (_, v) => v[0].MatMul(v[1])),
        new("matmul", "2-D · 1-D", [s_m34, new(4)], (_, v) => v[0].MatMul(v[1])),
        new("matmul", "1-D · 1-D", [new(4), new(4)], (_, v) => v[0].MatMul(v[1])),
        new("matmul", "batched [2, 3, 4] · [4, 5]", [new(2, 3, 4), new(4, 5)], (_, v) => v[0].MatMul(v[1])),
        new("matmul", "broadcast batch [2, 1, 3, 4] · [3, 4, 2]", [new(2, 1, 3, 4), new(3, 4, 2)], (_, v) => v[0].MatMul(v[1])),
        new("matmul", "linear with bias", [new(5, 4), s_m34, new(3)], (_, v) => Ops.Linear(v[0], v[1], v[2])),
        new("matmul", "Aᵀ · B, transpose folded", [new(4, 3), new(4, 5)], (_, v) => v[0].T().MatMul(v[1])),
        new("matmul", "Aᵀ · Bᵀ, transposes folded", [new(4, 3), new(5, 4)], (_, v) => v[0].T().MatMul(v[1].T())),
        new("matmul", "batched A · Bᵀ by permute, broadcast batch", [new(2, 3, 4), new(5, 4)], (_, v) => v[0].MatMul(v[1].T())),
        new("matmul", "batched Aᵀ by permute · B", [new(2, 4, 3), new(2, 4, 5)], (_, v) => v[0].Permute(0, 2, 1).MatMul(v[1])),

        new("softmax", "last axis", [s_m34], (_, v) => Ops.Softmax(v[0], -1)),
        new("softmax", "axis 0 of 3-D", [new(3, 2, 4)], (_, v) => Ops.Softmax(v[0], 0)),
        new("log_softmax", "axis 1", [s_m34], (_, v) => Ops.LogSoftmax(v[0], 1)),
        new("log_softmax", "axis 1 of 3-D", [new(2, 3, 4)], (_, v) => Ops.LogSoftmax(v[0], 1)),
        new("nll_loss", "cross-entropy", [new(4, 5)], (g, v) => Ops.CrossEntropy(v[0], g.Constant(Tensor.FromArray([1L, 0L, 4L, 2L])))),
        new("binary_cross_entropy_with_logits", "logits and targets", [s_m34, s_m34], (_, v) => Ops.BinaryCrossEntropyWithLogits(v[0], v[1].Sigmoid())),
        new("mse_loss", "input and target", [s_m34, s_m34], (_, v) => Ops.MseLoss(v[0], v[1])),

        .. NeuralNetworkGradientCheckSpecs.All,
        .. ShapeAndLayerGradientCheckSpecs.All,
        .. ElementwiseGradientCheckSpecs.All,
    ];

    private static GradientCheckSpec Unary(string op, Func<Value, Value> build, InputDomain domain = InputDomain.AwayFromZero) =>
        new(op, "[3, 4]", [s_m34], (_, v) => build(v[0]), domain);

    private static GradientCheckSpec[] Binary(string op, Func<Value, Value, Value> build, InputDomain domain = InputDomain.AwayFromZero) =>
    [
        new(op, "same shape", [s_m34, s_m34], (_, v) => build(v[0], v[1]), domain),
        new(op, "row broadcast [3, 4] with [4]", [s_m34, new(4)], (_, v) => build(v[0], v[1]), domain),
        new(op, "outer broadcast [3, 1] with [1, 4]", [new(3, 1), new(1, 4)], (_, v) => build(v[0], v[1]), domain),
        new(op, "scalar [] with [2, 3]", [Shape.Scalar, new(2, 3)], (_, v) => build(v[0], v[1]), domain),
        new(op, "[2, 1, 3] with [4, 1]", [new(2, 1, 3), new(4, 1)], (_, v) => build(v[0], v[1]), domain),
    ];
}
