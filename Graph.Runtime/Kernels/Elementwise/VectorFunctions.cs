using System.Runtime.Intrinsics;

namespace Graph.Runtime.Kernels;

/// <summary>
/// erf and erfc in float32 vectors. Below |x| = 0.875, erf is its Taylor series to x²¹ (relative error about one ulp,
/// so small arguments keep their digits); above, it is 1 − erfc, with erfc from Numerical Recipes' Chebyshev-fitted
/// form <c>t·exp(−x² + P(t))</c>, t = 1/(1 + x/2), whose relative error is below 1.2·10⁻⁷ for every x ≥ 0, so the
/// complement itself is accurate far into the tail (GELU of a negative argument multiplies by it).
/// </summary>
internal static class VectorErf
{
    /// <summary>Below this |x| the Taylor series is used: its eleventh term is under 10⁻⁹ there.</summary>
    private const float SeriesLimit = 0.875f;

    /// <summary>erf at each lane.</summary>
    public static Vector256<float> Erf(Vector256<float> x)
    {
        Vector256<float> a = Vector256.Abs(x);
        Vector256<float> square = x * x;
        Vector256<float> fromComplement = Vector256.CopySign(Vector256<float>.One - ErfcOfNonNegative(a, square, Vector256.FusedMultiplyAdd(x, x, -square)), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(SeriesLimit)), Series(x), fromComplement);
    }

    /// <summary>
    /// 1 + erf(x/√2) at each lane (2Φ(x), Φ the normal CDF), without the cancellation of adding 1 to erf of a negative
    /// argument, and with x²/2 formed exactly rather than from the rounded x/√2.
    /// </summary>
    public static Vector256<float> OnePlusErfOfHalfSqrt2(Vector256<float> x)
    {
        Vector256<float> half = Vector256.Create(0.5f);
        Vector256<float> square = x * x;
        Vector256<float> squareError = Vector256.FusedMultiplyAdd(x, x, -square);
        x *= Vector256.Create(0.70710678f);
        Vector256<float> a = Vector256.Abs(x);
        Vector256<float> complement = ErfcOfNonNegative(a, half * square, half * squareError);
        Vector256<float> fromComplement = Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256.Create(2f) - complement, complement);
        return Vector256.ConditionalSelect(
            Vector256.LessThan(a, Vector256.Create(SeriesLimit)), Vector256<float>.One + Series(x), fromComplement);
    }

    /// <summary>erf by its Taylor series, x · Σ cₙ x²ⁿ, cₙ = 2/√π · (−1)ⁿ / (n! (2n + 1)), for |x| below <see cref="SeriesLimit"/>.</summary>
    private static Vector256<float> Series(Vector256<float> x)
    {
        Vector256<float> s = x * x;
        Vector256<float> sum = Vector256.Create(1.4807192815879218e-08f);
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(-1.6365844691234924e-07f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(1.6462114365889246e-06f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(-1.492565035840625e-05f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(0.00012055332981789664f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(-0.0008548327023450852f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(0.005223977625442188f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(-0.026866170645131252f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(0.11283791670955126f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(-0.37612638903183754f));
        sum = Vector256.FusedMultiplyAdd(sum, s, Vector256.Create(1.1283791670955126f));
        return sum * x;
    }

    /// <summary>
    /// erfc(a) for a ≥ 0 (and NaN for NaN): Numerical Recipes' erfcc, given a² as <paramref name="square"/> +
    /// <paramref name="squareError"/>. exp(P(t) − a²) is taken as exp(−square) · exp(P(t) − squareError): one float
    /// argument near −19 is already 2·10⁻⁶ off (its ulp), which exp would turn into the same relative error.
    /// </summary>
    private static Vector256<float> ErfcOfNonNegative(Vector256<float> a, Vector256<float> square, Vector256<float> squareError)
    {
        Vector256<float> t = Vector256<float>.One / Vector256.FusedMultiplyAdd(Vector256.Create(0.5f), a, Vector256<float>.One);
        Vector256<float> p = Vector256.Create(0.17087277f);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-0.82215223f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.48851587f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.13520398f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(0.27886807f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-0.18628806f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(0.09678418f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(0.37409196f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.00002368f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.26551223f));
        // An infinite square has no rounding error (the FMA's inf − inf is NaN); erfc is then 0.
        squareError = Vector256.ConditionalSelect(Vector256.Equals(square, Vector256.Create(float.PositiveInfinity)), Vector256<float>.Zero, squareError);
        return t * Vector256.Exp(-square) * Vector256.Exp(p - squareError);
    }
}
