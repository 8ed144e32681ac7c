namespace Graph.Core;

/// <summary>The last act of a backward tape, as PyTorch's AccumulateGrad: add <paramref name="Gradient"/> into the stored gradient of <paramref name="Target"/>.</summary>
/// <param name="Target">A leaf that requires a gradient, or a value in <c>RetainGrad</c>.</param>
/// <param name="Gradient">The value holding this backward pass's gradient for it (same type as the target).</param>
public readonly record struct GradientAccumulation(Value Target, Value Gradient);
