using Graph.Core;

namespace Graph.Tests.Operations;

/// <summary>Where a gradient check draws its inputs, so that every input lies in the op's smooth domain.</summary>
public enum InputDomain
{
    /// <summary>Uniform in [−2, 2], at least 0.05 from 0 (away from the kinks of relu, abs and sign).</summary>
    AwayFromZero,

    /// <summary>Uniform in [0.2, 2]: log, sqrt, fractional powers, divisors.</summary>
    Positive,
}

/// <summary>
/// One finite-difference check: a small graph that applies <see cref="Op"/> to float64 parameters of
/// <see cref="InputShapes"/>. The op table drives the suite: every differentiable op needs a spec.
/// </summary>
/// <param name="Op">The name of the op under test; the built graph must contain it.</param>
/// <param name="Case">What this variant covers (broadcasting, keepDim, an axis).</param>
/// <param name="InputShapes">The shapes of the differentiable float64 inputs.</param>
/// <param name="Build">Builds the output from the inputs (and may add constants through the builder).</param>
/// <param name="Domain">Where input values are drawn.</param>
public sealed record GradientCheckSpec(string Op, string Case, Shape[] InputShapes, Func<GraphBuilder, Value[], Value> Build, InputDomain Domain = InputDomain.AwayFromZero)
{
    /// <summary>The test's display name.</summary>
    public override string ToString() => $"{Op}: {Case}";
}
