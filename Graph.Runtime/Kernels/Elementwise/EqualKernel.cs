using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>equal: <c>x == y</c> with broadcasting, into a bool tensor.</summary>
internal sealed class EqualKernel<T> : Kernel
    where T : unmanaged, IEquatable<T>
{
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly Tensor _y;
    private readonly StridedLayout _layout;

    internal EqualKernel(KernelBinding binding)
        : base(binding.Node)
    {
        (_a, _b, _y) = (binding.Input(0), binding.Input(1), binding.Output);
        _layout = StridedLayout.Create(_y.Shape, StridedLayout.BroadcastStrides(_a.Shape, _y.Shape), StridedLayout.BroadcastStrides(_b.Shape, _y.Shape));
    }

    public override void Run()
    {
        ReadOnlySpan<T> a = _a.AsSpan<T>();
        ReadOnlySpan<T> b = _b.AsSpan<T>();
        Span<bool> y = _y.AsSpan<bool>();
        int n = _layout.InnerLength;
        int sa = _layout.InnerStride(0);
        int sb = _layout.InnerStride(1);
        for (int run = 0; run < _layout.OuterCount; run++)
        {
            int oa = _layout.Offset(0, run);
            int ob = _layout.Offset(1, run);
            Span<bool> dst = y.Slice(run * n, n);
            for (int i = 0; i < n; i++)
            {
                dst[i] = a[oa + (i * sa)].Equals(b[ob + (i * sb)]);
            }
        }
    }
}

/// <summary>Picks <see cref="EqualKernel{T}"/> by the operands' dtype.</summary>
internal static class EqualKernel
{
    public static Kernel Create(KernelBinding b) => b.Input(0).DType switch
    {
        DType.Float32 => new EqualKernel<float>(b),
        DType.Float64 => new EqualKernel<double>(b),
        DType.Int64 => new EqualKernel<long>(b),
        _ => new EqualKernel<bool>(b),
    };
}
