using System.Globalization;
using System.Text;

namespace Graph.Compiler;

/// <summary>What <see cref="GradientCheck.Run"/> found: one <see cref="GradientError"/> per leaf that requires a gradient.</summary>
/// <param name="Inputs">The leaves in graph order.</param>
public sealed record GradientCheckReport(IReadOnlyList<GradientError> Inputs)
{
    /// <summary>The largest absolute error over every leaf.</summary>
    public double MaxAbsoluteError => Inputs.Count == 0 ? 0 : Inputs.Max(e => e.MaxAbsoluteError);

    /// <summary>The largest relative error over every leaf.</summary>
    public double MaxRelativeError => Inputs.Count == 0 ? 0 : Inputs.Max(e => e.MaxRelativeError);

    /// <summary>
    /// True when every element of every gradient is within <paramref name="tolerance"/> · max(1, |numeric|) of its
    /// finite-difference value (torch's gradcheck with atol = rtol = tolerance, near enough).
    /// </summary>
    public bool IsWithin(double tolerance) => Inputs.All(e => e.MaxScaledError <= tolerance);

    /// <summary>A table: one line per leaf with its worst errors and the element where the scaled error is worst.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("input: max abs error, max rel error, max scaled error (at element: backward vs finite differences)");
        foreach (GradientError e in Inputs)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {e.Input}: {e.MaxAbsoluteError:G3}, {e.MaxRelativeError:G3}, {e.MaxScaledError:G3} (at {e.WorstElement}: {e.Analytic:G17} vs {e.Numeric:G17})");
        }

        return text.ToString();
    }
}
