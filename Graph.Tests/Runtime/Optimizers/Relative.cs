using Graph.Core;

namespace Graph.Tests.Runtime.Optimizers;

/// <summary>Comparison with a PyTorch reference: max|actual − expected| ≤ tolerance · max|expected| over the tensor.</summary>
internal static class Relative
{
    /// <summary>Asserts the tensors agree to <paramref name="tolerance"/> relative, and returns the error found.</summary>
    public static double AssertClose(double[] expected, Tensor? actual, double tolerance, string what)
    {
        Assert.IsNotNull(actual, $"{what}: no tensor");
        return AssertClose(expected, actual.ToDoubleArray(), tolerance, what);
    }

    /// <inheritdoc cref="AssertClose(double[], Tensor?, double, string)"/>
    public static double AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        double scale = expected.Max(Math.Abs);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.IsFalse(double.IsNaN(actual[i]), $"{what}: element {i} is NaN");
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        }

        double error = scale == 0 ? worst : worst / scale;
        Assert.IsLessThanOrEqualTo(tolerance, error, $"{what}: relative error {error:e3} above {tolerance:e0}; expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        return error;
    }
}
