using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>reshape and detach: the same bytes in the output's buffer (nothing at all when the planner gave both one buffer).</summary>
internal sealed class CopyKernel(KernelBinding b) : Kernel(b.Node)
{
    private readonly Tensor _x = b.Input(0);
    private readonly Tensor _y = b.Output;

    public override void Run()
    {
        Span<byte> source = _x.Bytes;
        Span<byte> destination = _y.Bytes;
        if (!source.Overlaps(destination))
        {
            source.CopyTo(destination);
        }
    }
}
