using Graph.Core;

namespace Graph.Tests.Operations;

/// <summary>The gradient checks of issue 10's elementwise ops and reductions.</summary>
public static class ElementwiseGradientCheckSpecs
{
    private static readonly Shape s_m34 = new(3, 4);

    /// <summary>Every spec.</summary>
    public static IReadOnlyList<GradientCheckSpec> All { get; } =
    [
        new("sin", "[3, 4]", [s_m34], (_, v) => v[0].Sin()),
        new("cos", "[3, 4]", [s_m34], (_, v) => v[0].Cos()),
        new("rsqrt", "[3, 4]", [s_m34], (_, v) => v[0].Rsqrt(), InputDomain.Positive),
        new("erf", "[3, 4]", [s_m34], (_, v) => v[0].Erf()),
        new("gelu", "exact", [s_m34], (_, v) => v[0].Gelu()),
        new("gelu", "tanh approximation", [s_m34], (_, v) => v[0].Gelu(tanhApproximation: true)),
        new("sigmoid", "silu", [s_m34], (_, v) => v[0].Silu()),
        new("softplus", "default", [s_m34], (_, v) => v[0].Softplus()),
        new("softplus", "beta 2, threshold 1 (both branches)", [s_m34], (_, v) => v[0].Softplus(beta: 2, threshold: 1)),
        new("leaky_relu", "slope 0.01", [s_m34], (_, v) => v[0].LeakyRelu()),
        new("leaky_relu", "slope 0.3", [s_m34], (_, v) => v[0].LeakyRelu(0.3)),
        new("clamp", "[-1, 1]", [s_m34], (_, v) => v[0].Clamp(-1, 1)),
        new("clamp", "min only", [s_m34], (_, v) => v[0].Clamp(0.5, null)),
        new("maximum", "same shape", [s_m34, s_m34], (_, v) => v[0].Maximum(v[1])),
        new("maximum", "row broadcast [3, 4] with [4]", [s_m34, new(4)], (_, v) => v[0].Maximum(v[1])),
        new("minimum", "same shape", [s_m34, s_m34], (_, v) => v[0].Minimum(v[1])),
        new("minimum", "outer broadcast [3, 1] with [1, 4]", [new(3, 1), new(1, 4)], (_, v) => v[0].Minimum(v[1])),
        new("pow_tensor", "same shape", [s_m34, s_m34], (_, v) => v[0].Pow(v[1]), InputDomain.Positive),
        new("pow_tensor", "exponent broadcast [3, 4] with [4]", [s_m34, new(4)], (_, v) => v[0].Pow(v[1]), InputDomain.Positive),
        new("where", "same shape", [s_m34, s_m34], (g, v) => Ops.Where(Mask(g, s_m34), v[0], v[1])),
        new("where", "condition [4], a [3, 1], b []", [new(3, 1), Shape.Scalar], (g, v) => Ops.Where(Mask(g, new Shape(4)), v[0], v[1])),
        new("max_all", "[3, 4]", [s_m34], (_, v) => v[0].Max()),
        new("max_all", "min of [2, 3]", [new(2, 3)], (_, v) => v[0].Min()),
        new("max", "min along axis 1", [s_m34], (_, v) => v[0].Min(1)),
        new("sum", "var over axis 1, unbiased", [s_m34], (_, v) => v[0].Var([1])),
        new("sum", "var over all, biased, keepDim", [s_m34], (_, v) => v[0].Var(keepDim: true, unbiased: false)),
        new("sqrt", "std over axis 0", [s_m34], (_, v) => v[0].Std([0])),
        new("log", "logsumexp over axis 1", [s_m34], (_, v) => v[0].LogSumExp([1])),
        new("log", "logsumexp over axes 0 and 2, keepDim", [new(2, 3, 4)], (_, v) => v[0].LogSumExp([0, -1], keepDim: true)),
        new("sum", "sum(int axis)", [new(2, 3, 4)], (_, v) => v[0].Sum(1)),
        new("mean", "mean(int axis), keepDim", [new(2, 3, 4)], (_, v) => v[0].Mean(-1, keepDim: true)),
    ];

    // An alternating bool mask of the given shape.
    private static Value Mask(GraphBuilder g, Shape shape)
    {
        var values = new bool[shape.ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 3 != 1;
        }

        return g.Constant(Tensor.FromArray(values, shape.ToArray()));
    }
}
