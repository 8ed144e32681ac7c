using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime;

/// <summary>
/// step and sign run as vector compares and selects with a scalar tail: every lane and every tail length gives
/// PyTorch's value, NaN, signed zeros and infinities included.
/// </summary>
[TestClass]
public sealed class CompareOperatorTests
{
    private static readonly float[] Specials = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, 1f, -2.5f];

    [TestMethod]
    [DataRow(1)]
    [DataRow(15)]
    [DataRow(16)]
    [DataRow(37)]
    [DataRow(1000)]
    public void Step_EveryLaneAndTail_IsOneExactlyWhereXIsAboveZero(int length)
    {
        float[] x = Values(length);
        float[] y = new float[length];
        StepOperator<float>.Invoke(x, y);
        for (int i = 0; i < length; i++)
        {
            Assert.AreEqual(x[i] > 0 ? 1f : 0f, y[i], $"step({x[i]}) at {i}");
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(15)]
    [DataRow(16)]
    [DataRow(37)]
    [DataRow(1000)]
    public void Sign_EveryLaneAndTail_IsMinusOneZeroOrOneAndKeepsNaN(int length)
    {
        float[] x = Values(length);
        float[] y = new float[length];
        SignOperator<float>.Invoke(x, y);
        for (int i = 0; i < length; i++)
        {
            float expected = float.IsNaN(x[i]) ? float.NaN : x[i] > 0 ? 1f : x[i] < 0 ? -1f : x[i];
            Assert.AreEqual(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(y[i]), $"sign({x[i]}) at {i}");
        }
    }

    [TestMethod]
    public void Sign_Doubles_MatchTheScalarRule()
    {
        double[] x = Values(53).Select(v => (double)v).ToArray();
        double[] y = new double[x.Length];
        SignOperator<double>.Invoke(x, y);
        CollectionAssert.AreEqual(x.Select(v => double.IsNaN(v) ? double.NaN : v > 0 ? 1.0 : v < 0 ? -1.0 : v).ToArray(), y);
    }

    /// <summary>The special values in turn at every position, shifted so each lies in a vector lane and in the tail.</summary>
    private static float[] Values(int length) =>
        Enumerable.Range(0, length).Select(i => i % 3 == 0 ? Specials[(i / 3) % Specials.Length] : (i % 7) - 3.5f).ToArray();
}
