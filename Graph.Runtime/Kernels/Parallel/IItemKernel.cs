namespace Graph.Runtime.Kernels;

/// <summary>
/// A kernel whose work is a row of independent items (planes, channels, rows, runs) that it can compute any
/// contiguous group of on its own, so that <see cref="FixedParts.RunItems"/> hands fixed groups to the session's threads.
/// </summary>
internal interface IItemKernel
{
    /// <summary>Computes items [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    void RunItems(int first, int count);
}
