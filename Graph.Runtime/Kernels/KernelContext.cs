using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>Resources one session's kernels share; owned and disposed by the session.</summary>
internal sealed class KernelContext : IDisposable
{
    private AlignedBuffer? _scratch;

    /// <summary>A context whose matrix products use <paramref name="threads"/> threads.</summary>
    public KernelContext(int threads)
    {
        Gemm = GemmPool.Rent(threads);
    }

    /// <summary>The session's GEMM driver (its packing workspaces come from a pool, its workers from the shared worker pool).</summary>
    public GemmParallel Gemm { get; }

    /// <summary>The session's threads, shared by every kernel that splits its work (see <see cref="Execution.WorkerTeam"/>).</summary>
    public Execution.WorkerTeam Team => Gemm.Team;

    /// <summary>
    /// How many forward passes the session has completed: the pass number dropout draws its masks for, so a
    /// mask is a function of the pass and not of how often a kernel ran. Set when a saved session is loaded, so
    /// that a resumed run draws the masks the uninterrupted one would have.
    /// </summary>
    public long ForwardPasses { get; set; }

    /// <summary>Counts a completed forward pass.</summary>
    public void CountForwardPass() => ForwardPasses++;

    /// <summary>
    /// Makes the shared scratch memory at least <paramref name="bytes"/> long. Kernels call it when they are
    /// bound, so that <see cref="Scratch{T}"/> never allocates.
    /// </summary>
    public void ReserveScratch(long bytes)
    {
        if (bytes > (_scratch?.Length ?? 0))
        {
            if (_scratch is not null)
            {
                Execution.ArenaPool.Return(_scratch);
            }

            _scratch = Execution.ArenaPool.Rent(bytes);
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> elements of the scratch memory every kernel shares (kernels run one at
    /// a time): valid during one <see cref="Kernel.Run"/> only, and reserved beforehand with <see cref="ReserveScratch"/>.
    /// </summary>
    public Span<T> Scratch<T>(int count)
        where T : unmanaged => count == 0 ? [] : MemoryMarshal.Cast<byte, T>(_scratch!.Slice(0, count * Unsafe.SizeOf<T>()));

    /// <summary>Returns the pooled GEMM driver and scratch memory.</summary>
    public void Dispose()
    {
        GemmPool.Return(Gemm);
        if (_scratch is not null)
        {
            Execution.ArenaPool.Return(_scratch);
            _scratch = null;
        }
    }
}
