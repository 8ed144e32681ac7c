using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>one_hot: 1 at each index, 0 elsewhere; an index out of range fails naming the node.</summary>
internal sealed class OneHotKernel(KernelBinding b) : Kernel(b.Node)
{
    private readonly Tensor _indices = b.Input(0);
    private readonly Tensor _y = b.Output;
    private readonly int _classes = b.Output.Shape[^1];

    public override void Run()
    {
        ReadOnlySpan<long> indices = _indices.AsSpan<long>();
        _y.Bytes.Clear();
        for (int i = 0; i < indices.Length; i++)
        {
            long index = indices[i];
            if ((ulong)index >= (ulong)_classes)
            {
                throw Failure($"index {index} at position {i} is not in [0, {_classes}).");
            }

            _y.SetDouble(((long)i * _classes) + index, 1);
        }
    }
}
