namespace Graph.Runtime.Kernels;

/// <summary>Resources one session's kernels share; owned and disposed by the session.</summary>
internal sealed class KernelContext : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
