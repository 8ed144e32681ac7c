namespace Graph.Runtime.Kernels;

// The scalar functions of the elementwise ops TensorPrimitives has no form of, one struct each, named after the op.

/// <summary>erf, by the series <c>erf x = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (2n+1)!!</c>, whose terms are all of one sign
/// (no cancellation, unlike the Taylor series); ±1 beyond |x| = 6, where erfc is below 10⁻¹⁶.</summary>
internal readonly struct ErfFunction : IScalarFunction
{
    public static double Apply(double x, double p, double q) => Erf(x);

    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (Math.Abs(x) >= 6)
        {
            return Math.Sign(x);
        }

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
}

/// <summary>gelu: <c>x · (1 + erf(x/√2)) / 2</c>, or (p = 1) torch's tanh form.</summary>
internal readonly struct GeluFunction : IScalarFunction
{
    public static double Apply(double x, double p, double q)
    {
        if (p == 0)
        {
            return x * 0.5 * (1 + ErfFunction.Erf(x * 0.7071067811865476));
        }

        double inner = 0.7978845608028654 * (x + (0.044715 * x * x * x));
        return 0.5 * x * (1 + Math.Tanh(inner));
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
