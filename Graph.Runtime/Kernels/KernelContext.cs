using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>Resources one session's kernels share; owned and disposed by the session.</summary>
internal sealed class KernelContext : IDisposable
{
    private AlignedBuffer _scratch = new(0);

    /// <summary>
    /// How many forward passes the session has completed: the pass number dropout draws its masks for, so a
    /// mask is a function of the pass and not of how often a kernel ran.
    /// </summary>
    public long ForwardPasses { get; private set; }

    /// <summary>Counts a completed forward pass.</summary>
    public void CountForwardPass() => ForwardPasses++;

    /// <summary>
    /// Makes the shared scratch memory at least <paramref name="bytes"/> long. Kernels call it when they are
    /// bound, so that <see cref="Scratch{T}"/> never allocates.
    /// </summary>
    public void ReserveScratch(long bytes)
    {
        if (bytes > _scratch.Length)
        {
            _scratch = new AlignedBuffer(bytes);
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> elements of the scratch memory every kernel shares (kernels run one at
    /// a time): valid during one <see cref="Kernel.Run"/> only, and reserved beforehand with <see cref="ReserveScratch"/>.
    /// </summary>
    public Span<T> Scratch<T>(int count)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(_scratch.Slice(0, count * Unsafe.SizeOf<T>()));

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
