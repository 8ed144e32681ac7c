namespace Graph.Runtime.Kernels;

/// <summary>
/// Work over a flat range of elements of which any contiguous range can be computed on its own: elementwise kernels
/// (so that a fused run executes them tile by tile), fused runs, dropout masks and gradient accumulations, which
/// <see cref="FixedParts.RunRange"/> splits into fixed parts for the session's threads.
/// </summary>
internal interface IRangeKernel
{
    /// <summary>Computes output elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    void RunRange(int start, int count);
}
