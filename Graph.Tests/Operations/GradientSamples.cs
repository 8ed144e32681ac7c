using Graph.Core;

namespace Graph.Tests.Operations;

/// <summary>The float64 inputs and projections of the finite-difference checks, drawn from an op's smooth domain.</summary>
internal static class GradientSamples
{
    /// <summary>A float64 tensor of <paramref name="shape"/> with values in <paramref name="domain"/>.</summary>
    public static Tensor Sample(Shape shape, InputDomain domain, SeededRandom random)
    {
        Tensor t = Tensor.Zeros(shape, DType.Float64);
        Span<double> values = t.AsSpan<double>();
        for (int i = 0; i < values.Length; i++)
        {
            double u = random.NextDouble();
            values[i] = domain == InputDomain.Positive
                ? 0.2 + (1.8 * u)
                : (u < 0.5 ? -1 : 1) * (0.05 + (1.95 * random.NextDouble()));
        }

        return t;
    }
}
