using Graph.Core;

namespace Graph.Tests.TestSupport;

/// <summary>Assertions on tensors that name the first element that differs.</summary>
internal static class TensorAssert
{
    /// <summary>Every element within <paramref name="tolerance"/> (absolute) of <paramref name="expected"/>.</summary>
    public static void AreClose(double[] expected, Tensor? actual, double tolerance = 1e-6, string? message = null)
    {
        Assert.IsNotNull(actual, message ?? "The tensor is null.");
        double[] values = actual.ToDoubleArray();
        Assert.HasCount(expected.Length, values, message);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.IsTrue(
                Math.Abs(expected[i] - values[i]) <= tolerance || (double.IsNaN(expected[i]) && double.IsNaN(values[i])),
                $"{message} element {i}: expected {expected[i]}, got {values[i]} (tolerance {tolerance}); whole tensor {actual}");
        }
    }

    /// <summary>Every element exactly equal.</summary>
    public static void AreEqual(double[] expected, Tensor? actual, string? message = null) => AreClose(expected, actual, 0, message);
}
