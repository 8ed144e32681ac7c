using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime;

/// <summary>
/// Float32 erf and GELU run as eight-lane vector formulas (<see cref="VectorErf"/>); each element is within a few ulps
/// of the double-precision scalar definition, relative to the value itself (so small arguments and GELU's negative
/// tail keep their digits), with NaN, signed zeros and infinities as the scalar form gives them, for every tail length.
/// </summary>
[TestClass]
public sealed class VectorFunctionTests
{
    // A few float32 ulps: the series and the Chebyshev fit are both good to about 1.2e-7 relative; exp adds one ulp.
    private const double RelativeTolerance = 8e-7;

    private static readonly float[] Specials =
        [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -1e-30f, 1e-20f, 0.875f, -0.875f, 0.87499994f, 3.9f, -6f, -9f, 12f];

    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(8)]
    [DataRow(13)]
    [DataRow(40_001)]
    public void Erf_EveryLaneAndTail_MatchesTheDoubleDefinition(int length) =>
        AssertMatches(length, x => x.Erf(), v => ErfFunction.Erf(v));

    [TestMethod]
    [DataRow(1)]
    [DataRow(9)]
    [DataRow(40_001)]
    public void Gelu_EveryLaneAndTail_MatchesTheDoubleDefinition(int length) =>
        AssertMatches(length, x => x.Gelu(), v => GeluFunction.Apply(v, 0, 0));

    [TestMethod]
    [DataRow(1)]
    [DataRow(9)]
    [DataRow(40_001)]
    public void GeluTanh_EveryLaneAndTail_MatchesTheDoubleDefinition(int length) =>
        AssertMatches(length, x => x.Gelu(tanhApproximation: true), v => GeluFunction.Apply(v, 1, 0), TanhFormCondition);

    /// <summary>
    /// The tanh form is x · sigmoid(2u) with u = √(2/π)(x + 0.044715x³) formed in float: for negative x its value is
    /// about x·e^(2u), so the few ulps of u's rounding grow by |2u| (66 at x = −9), as in any float32 evaluation.
    /// </summary>
    private static double TanhFormCondition(double x) => 1 + Math.Abs(2 * 0.7978845608028654 * (x + (0.044715 * x * x * x)));

    /// <summary>
    /// Values from −10 to 10 (specials first), through a session, against <paramref name="reference"/> in double;
    /// <paramref name="condition"/> scales the tolerance where the float32 formula is ill-conditioned.
    /// </summary>
    private static void AssertMatches(int length, Func<Value, Value> op, Func<double, double> reference, Func<double, double>? condition = null)
    {
        float[] x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = i < Specials.Length ? Specials[i] : -10f + (20f * (i - Specials.Length) / Math.Max(1, length - Specials.Length));
        }

        var g = new GraphBuilder();
        Value input = g.Input("x", new Shape(length));
        Value y = op(input);
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));
        session.SetInput(input, Tensor.FromArray(x, length));
        session.Forward();
        float[] actual = session.Output(y).ToArray<float>();

        for (int i = 0; i < length; i++)
        {
            float expected = (float)reference(x[i]);
            string what = $"f({x[i]:R}) at {i}: {actual[i]:R}, the double definition {expected:R}";
            bool close = !float.IsFinite(expected)
                ? actual[i].Equals(expected)
                : Math.Abs(actual[i] - (double)expected) <= (RelativeTolerance * (condition?.Invoke(x[i]) ?? 1) * Math.Abs(expected)) + 1e-44;
            Assert.IsTrue(close, what);
        }
    }
}
