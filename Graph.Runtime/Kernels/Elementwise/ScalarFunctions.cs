using System.Runtime.Intrinsics;

namespace Graph.Runtime.Kernels;

// The scalar functions of the elementwise ops TensorPrimitives has no form of, one struct each, named after the op.

/// <summary>
/// erf and erfc in double. Below |x| = 2, erf is the series <c>erf x = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (2n+1)!!</c>,
/// whose terms are all of one sign (no cancellation, unlike the Taylor series). From 2 up, erfc is Laplace's continued
/// fraction <c>e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …))))</c>, evaluated by Lentz's method, and erf is 1 − erfc:
/// so erfc keeps its relative accuracy far into the tail (GELU of a negative argument is x/2 · erfc(−x/√2)), where
/// 1 + erf would be all rounding.
/// </summary>
internal readonly struct ErfFunction : IScalarFunction, IFloatVectorFunction
{
    /// <summary>From here up the continued fraction converges in under a hundred terms; below, the series is exact.</summary>
    private const double FractionFrom = 2;

    public static double Apply(double x, double p, double q) => Erf(x);

    public static Vector256<float> Apply(Vector256<float> x, float p, float q) => VectorErf.Erf(x);

    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        double a = Math.Abs(x);
        return a < FractionFrom ? Series(x) : Math.CopySign(1 - ErfcOfAtLeastTwo(a), x);
    }

    /// <summary>erfc, without the cancellation of 1 − erf for large x.</summary>
    public static double Erfc(double x) =>
        double.IsNaN(x) ? x
        : x >= FractionFrom ? ErfcOfAtLeastTwo(x)
        : x <= -FractionFrom ? 2 - ErfcOfAtLeastTwo(-x)
        : 1 - Series(x);

    private static double Series(double x)
    {
        double twoXSquared = 2 * x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= twoXSquared / ((2 * n) + 1);
            sum += term;
        }

        return 1.1283791670955126 * Math.Exp(-x * x) * sum;
    }

    /// <summary>
    /// erfc(a) for a ≥ 2 by the continued fraction (modified Lentz). e^(−a²) is taken as e^(−s) · e^(−(a² − s)) with s
    /// the rounded square, since the rounding of a² near 700 would otherwise cost 10⁻¹³ of relative accuracy.
    /// </summary>
    private static double ErfcOfAtLeastTwo(double a)
    {
        if (double.IsPositiveInfinity(a))
        {
            return 0;
        }

        const double Tiny = 1e-300;
        double f = a;
        double c = a;
        double d = 0;
        for (int n = 1; n < 500; n++)
        {
            double numerator = n * 0.5;
            d = a + (numerator * d);
            d = d == 0 ? Tiny : d;
            c = a + (numerator / c);
            c = c == 0 ? Tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        double square = a * a;
        return Math.Exp(-square) * Math.Exp(-Math.FusedMultiplyAdd(a, a, -square)) / (f * 1.7724538509055159);
    }
}

/// <summary>gelu: <c>x · (1 + erf(x/√2)) / 2</c>, computed as <c>x/2 · erfc(−x/√2)</c>, or (p = 1) torch's tanh form.</summary>
internal readonly struct GeluFunction : IScalarFunction, IFloatVectorFunction
{
    /// <summary>
    /// The float32 form: the exact one through <see cref="VectorErf.OnePlusErfOfHalfSqrt2"/>; the tanh form as
    /// <c>x · sigmoid(2u)</c>, which is <c>x/2 · (1 + tanh u)</c> without the cancellation for negative u.
    /// </summary>
    public static Vector256<float> Apply(Vector256<float> x, float p, float q)
    {
        if (p == 0)
        {
            return Vector256.Create(0.5f) * x * VectorErf.OnePlusErfOfHalfSqrt2(x);
        }

        Vector256<float> inner = Vector256.Create(0.7978846f) * Vector256.FusedMultiplyAdd(Vector256.Create(0.044715f) * x * x, x, x);
        return x / (Vector256<float>.One + Vector256.Exp(Vector256.Create(-2f) * inner));
    }

    public static double Apply(double x, double p, double q)
    {
        if (p == 0)
        {
            return x * 0.5 * ErfFunction.Erfc(x * -0.7071067811865476);
        }

        // x/2 · (1 + tanh u) written as x · sigmoid(2u), which does not cancel for negative u.
        double inner = 0.7978845608028654 * (x + (0.044715 * x * x * x));
        return x / (1 + Math.Exp(-2 * inner));
    }
}

/// <summary>softplus with β = p and threshold q, as torch: <c>x</c> where <c>βx &gt; q</c>, else <c>log1p(e^(βx)) / β</c>.</summary>
internal readonly struct SoftplusFunction : IScalarFunction
{
    public static double Apply(double x, double p, double q)
    {
        double scaled = x * p;
        return scaled > q ? x : LogOnePlus(Math.Exp(scaled)) / p;
    }

    /// <summary><c>ln(1 + u)</c> accurate for small u (double.LogP1 is <c>ln(u + 1)</c>, which loses them): the rounding
    /// of 1 + u is divided back out (Goldberg's formula).</summary>
    private static double LogOnePlus(double u)
    {
        double w = 1 + u;
        return w == 1 ? u : double.IsPositiveInfinity(w) ? w : Math.Log(w) * u / (w - 1);
    }
}

/// <summary>leaky_relu with slope p: <c>x</c> where <c>x &gt; 0</c>, else <c>p·x</c>.</summary>
internal readonly struct LeakyReluFunction : IScalarFunction
{
    public static double Apply(double x, double p, double q) => x > 0 ? x : x * p;
}

/// <summary>clamp to [p, q]; NaN stays NaN.</summary>
internal readonly struct ClampFunction : IScalarFunction
{
    public static double Apply(double x, double p, double q) => x < p ? p : x > q ? q : x;
}

/// <summary>clamp_mask: 1 where p ≤ x ≤ q, else 0 (NaN: 0).</summary>
internal readonly struct ClampMaskFunction : IScalarFunction
{
    public static double Apply(double x, double p, double q) => x >= p && x <= q ? 1 : 0;
}
