namespace Graph.Runtime.Kernels;

/// <summary>An elementwise kernel that can compute any contiguous range of its output on its own, so that a fused run of them executes tile by tile.</summary>
internal interface IRangeKernel
{
    /// <summary>Computes output elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    void RunRange(int start, int count);
}
