namespace Graph.Runtime.Kernels;

/// <summary>all: true when every element is true.</summary>
internal sealed class AllKernel(KernelBinding b) : Kernel(b.Node)
{
    private readonly Graph.Core.Tensor _x = b.Input(0);
    private readonly Graph.Core.Tensor _y = b.Output;

    public override void Run() => _y.AsSpan<bool>()[0] = !_x.AsSpan<bool>().Contains(false);
}
