using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// dropout_mask: element i is 0 when its uniform draw is below p, 1/(1 − p) otherwise. The draws are
/// counter-based (SplitMix64 over a key), so mask element i of forward pass s is a pure function of
/// (seed, node id, s, i): no generator state to carry between passes, save or restore — and any range of the mask
/// can be drawn on its own, so large masks are drawn in fixed parts on the session's threads.
/// </summary>
internal sealed class DropoutMaskKernel<T>(KernelBinding b) : Kernel(b.Node), IRangeKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private readonly Tensor _mask = b.Output;
    private readonly KernelContext _context = b.Context;
    private readonly double _p = b.Node.Attributes.GetDouble("p");
    private readonly ulong _seedKey = Mix(Mix((ulong)b.Node.Attributes.GetInt("seed")) ^ (ulong)b.Node.Id);

    public override void Run() => FixedParts.RunRange(_context.Team, this, (int)_mask.ElementCount);

    /// <summary>Draws mask elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    public void RunRange(int start, int count)
    {
        Span<T> mask = _mask.AsSpan<T>();
        if (_p >= 1)
        {
            mask.Slice(start, count).Clear(); // everything dropped; 1/(1 − p) would be infinite
            return;
        }

        T kept = T.CreateTruncating(1 / (1 - _p));
        ulong key = Mix(_seedKey ^ (ulong)_context.ForwardPasses);
        for (int i = start; i < start + count; i++)
        {
            double uniform = (Mix(key + ((ulong)i * Golden)) >> 11) * (1.0 / (1UL << 53));
            mask[i] = uniform < _p ? T.Zero : kept;
        }
    }

    /// <summary>SplitMix64's finalizer: a bijection of 64-bit words whose outputs look independent.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Picks <see cref="DropoutMaskKernel{T}"/> by dtype.</summary>
internal static class DropoutMaskKernel
{
    public static Kernel Create(KernelBinding b) => b.IsFloat32 ? new DropoutMaskKernel<float>(b) : new DropoutMaskKernel<double>(b);
}
