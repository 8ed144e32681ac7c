using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>where: <c>c ? a : b</c> with all three broadcast, walked in runs of the output as the binary kernels are.</summary>
internal sealed class WhereKernel<T> : Kernel, IItemKernel
    where T : unmanaged
{
    private readonly Tensor _c;
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly Tensor _y;
    private readonly StridedLayout _layout;
    private readonly Execution.WorkerTeam _team;
    private readonly int _runsPerPart;

    internal WhereKernel(KernelBinding binding)
        : base(binding.Node)
    {
        (_c, _a, _b, _y) = (binding.Input(0), binding.Input(1), binding.Input(2), binding.Output);
        Shape shape = _y.Shape;
        _layout = StridedLayout.Create(
            shape,
            StridedLayout.BroadcastStrides(_c.Shape, shape),
            StridedLayout.BroadcastStrides(_a.Shape, shape),
            StridedLayout.BroadcastStrides(_b.Shape, shape));
        _team = binding.Context.Team;
        _runsPerPart = FixedParts.ItemsPerPart(_layout.InnerLength);
    }

    public override void Run() => FixedParts.RunItems(_team, this, _layout.OuterCount, _runsPerPart);

    public void RunItems(int first, int count)
    {
        ReadOnlySpan<bool> c = _c.AsSpan<bool>();
        ReadOnlySpan<T> a = _a.AsSpan<T>();
        ReadOnlySpan<T> b = _b.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        int n = _layout.InnerLength;
        int sc = _layout.InnerStride(0);
        int sa = _layout.InnerStride(1);
        int sb = _layout.InnerStride(2);
        for (int run = first; run < first + count; run++)
        {
            int oc = _layout.Offset(0, run);
            int oa = _layout.Offset(1, run);
            int ob = _layout.Offset(2, run);
            Span<T> dst = y.Slice(run * n, n);
            for (int i = 0; i < n; i++)
            {
                dst[i] = c[oc + (i * sc)] ? a[oa + (i * sa)] : b[ob + (i * sb)];
            }
        }
    }
}

/// <summary>Picks <see cref="WhereKernel{T}"/> by the output's dtype.</summary>
internal static class WhereKernel
{
    public static Kernel Create(KernelBinding b) => b.Output.DType switch
    {
        DType.Float32 => new WhereKernel<float>(b),
        DType.Float64 => new WhereKernel<double>(b),
        DType.Int64 => new WhereKernel<long>(b),
        _ => new WhereKernel<bool>(b),
    };
}
