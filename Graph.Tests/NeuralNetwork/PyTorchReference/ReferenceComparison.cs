using System.Text;
using Graph.Core;

namespace Graph.Tests.NeuralNetwork.PyTorchReference;

/// <summary>
/// Tolerances relative to each expected tensor's largest magnitude, as issue 5 states them: a tensor passes
/// when max|a − e| ≤ tolerance · max|e|.
/// </summary>
/// <param name="Values">For the prediction, the loss and the running statistics.</param>
/// <param name="Gradients">For gradients and updated parameters.</param>
internal sealed record ReferenceTolerances(double Values, double Gradients)
{
    /// <summary>float64 against PyTorch in float64.</summary>
    public static ReferenceTolerances Float64 { get; } = new(1e-8, 1e-8);

    /// <summary>float32 against PyTorch in float32.</summary>
    public static ReferenceTolerances Float32 { get; } = new(1e-4, 1e-3);

    /// <summary>The tolerances of <paramref name="dtype"/>.</summary>
    public static ReferenceTolerances Of(DType dtype) => dtype == DType.Float64 ? Float64 : Float32;
}

/// <summary>Compares tensors with a reference, collecting every failure and the worst relative error of each kind of tensor.</summary>
internal sealed class ReferenceComparison
{
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, (double Error, string Name)> _worst = [];

    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/>; a miss is recorded, not thrown, so one run reports every tensor.</summary>
    public void Compare(string kind, string name, Tensor? actual, Tensor expected, double tolerance)
    {
        if (actual is null)
        {
            _failures.Add($"{kind} '{name}': Graph has no value (no gradient reached it)");
            return;
        }

        if (actual.Shape != expected.Shape || actual.DType != expected.DType)
        {
            _failures.Add($"{kind} '{name}': Graph's is {actual.DType.Name()}{actual.Shape}, PyTorch's {expected.DType.Name()}{expected.Shape}");
            return;
        }

        double[] a = actual.ToDoubleArray();
        double[] e = expected.ToDoubleArray();
        double scale = 0;
        double error = 0;
        int worst = 0;
        for (int i = 0; i < e.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(e[i]));
            double d = Math.Abs(a[i] - e[i]);

            // !(d <= error) also catches NaN, which must never pass.
            if (!(d <= error))
            {
                (error, worst) = (double.IsNaN(d) ? double.PositiveInfinity : d, i);
            }
        }

        double relative = scale > 0 ? error / scale : (error == 0 ? 0 : double.PositiveInfinity);
        if (!_worst.TryGetValue(kind, out var w) || relative > w.Error)
        {
            _worst[kind] = (relative, name);
        }

        if (!(error <= tolerance * scale))
        {
            _failures.Add($"{kind} '{name}' {expected.Shape}: max|a − e| = {error:G3} at element {worst} (Graph {a[worst]:G17}, PyTorch {e[worst]:G17}), {relative:G3} of max|e| = {scale:G3}; tolerance {tolerance:G3}");
        }
    }

    /// <summary>Fails listing every tensor out of tolerance.</summary>
    public void AssertWithinTolerance()
    {
        if (_failures.Count > 0)
        {
            Assert.Fail($"{_failures.Count} tensors differ from PyTorch's:{Environment.NewLine}{string.Join(Environment.NewLine, _failures)}{Environment.NewLine}{this}");
        }
    }

    /// <summary>The worst relative error of each kind of tensor, and which tensor it was.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("worst max|a − e| / max|e|:");
        foreach ((string kind, (double error, string name)) in _worst)
        {
            text.Append(Environment.NewLine).Append($"  {kind}: {error:G3} ({name})");
        }

        return text.ToString();
    }
}
