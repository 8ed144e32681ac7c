using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// broadcast_to, permute and transpose: the output is walked in row-major runs while the input is read
/// through strides (permuted, or 0 where broadcast). Element size is all that matters, so one kernel per
/// size serves every dtype. Large outputs are copied in fixed groups of runs on the session's threads.
/// </summary>
internal sealed class StridedCopyKernel<T> : Kernel, IItemKernel
    where T : unmanaged
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly StridedLayout _layout;
    private readonly Execution.WorkerTeam _team;
    private readonly int _runsPerPart;

    internal StridedCopyKernel(KernelBinding b, int[] inputStrides)
        : base(b.Node)
    {
        (_x, _y) = (b.Input(0), b.Output);
        _layout = StridedLayout.Create(_y.Shape, inputStrides);
        _team = b.Context.Team;
        _runsPerPart = FixedParts.ItemsPerPart(_layout.InnerLength);
    }

    public override void Run() => FixedParts.RunItems(_team, this, _layout.OuterCount, _runsPerPart);

    /// <summary>Copies runs [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public void RunItems(int first, int count)
    {
        ReadOnlySpan<T> x = MemoryMarshalCast(_x);
        Span<T> y = MemoryMarshalCast(_y);
        int n = _layout.InnerLength;
        int stride = _layout.InnerStride(0);
        for (int run = first; run < first + count; run++)
        {
            int o = _layout.Offset(0, run);
            Span<T> dst = y.Slice(run * n, n);
            if (stride == 1)
            {
                x.Slice(o, n).CopyTo(dst);
            }
            else if (stride == 0)
            {
                dst.Fill(x[o]);
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    dst[i] = x[o + (i * stride)];
                }
            }
        }
    }

    private static Span<T> MemoryMarshalCast(Tensor t) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(t.Bytes);
}

/// <summary>The strided copies, by element size.</summary>
internal static class StridedCopyKernel
{
    public static Kernel BroadcastTo(KernelBinding b) => Create(b, StridedLayout.BroadcastStrides(b.Input(0).Shape, b.Output.Shape));

    public static Kernel Permute(KernelBinding b) => Create(b, PermutedStrides(b.Input(0).Shape, (int[])b.Node.Attributes.Values["dims"]));

    public static Kernel Transpose(KernelBinding b) =>
        b.Input(0).Shape.Rank == 2 ? Create(b, PermutedStrides(b.Input(0).Shape, [1, 0])) : new CopyKernel(b);

    private static Kernel Create(KernelBinding b, int[] strides) => b.Output.DType.SizeInBytes() switch
    {
        8 => new StridedCopyKernel<long>(b, strides),
        4 => new StridedCopyKernel<int>(b, strides),
        _ => new StridedCopyKernel<byte>(b, strides),
    };

    private static int[] PermutedStrides(Shape input, int[] dims)
    {
        int[] own = input.Strides();
        return dims.Select(d => own[d]).ToArray();
    }
}
