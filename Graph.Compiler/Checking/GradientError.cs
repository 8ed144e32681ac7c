namespace Graph.Compiler;

/// <summary>How far one leaf's gradient by backward is from its gradient by finite differences, at its worst element.</summary>
/// <param name="Input">The leaf's name.</param>
/// <param name="MaxAbsoluteError">The largest |analytic − numeric| over its elements.</param>
/// <param name="MaxRelativeError">The largest |analytic − numeric| / max(|analytic|, |numeric|) (0 where both are 0).</param>
/// <param name="MaxScaledError">
/// The largest |analytic − numeric| / max(1, |numeric|): absolute for small gradients, relative for large ones, the
/// measure <see cref="GradientCheckReport.IsWithin"/> compares.
/// </param>
/// <param name="WorstElement">The flat index of the element with the largest scaled error.</param>
/// <param name="Analytic">The backward pass's value at <paramref name="WorstElement"/>.</param>
/// <param name="Numeric">The finite-difference value at <paramref name="WorstElement"/>.</param>
public sealed record GradientError(
    string Input, double MaxAbsoluteError, double MaxRelativeError, double MaxScaledError, int WorstElement, double Analytic, double Numeric);
