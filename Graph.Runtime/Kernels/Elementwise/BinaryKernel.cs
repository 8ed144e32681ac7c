using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Applies <typeparamref name="TOperator"/> with NumPy broadcasting: the output is walked in runs, and each
/// operand's run is either a span (stride 1) or one repeated element (stride 0), so every run is one
/// vectorized call. Large outputs are split into fixed parts for the session's threads: pieces of the one run
/// when the operands line up (or broadcast a single element), whole runs otherwise.
/// </summary>
internal sealed class BinaryKernel<T, TOperator> : Kernel, IRangeKernel, IItemKernel
    where T : unmanaged
    where TOperator : struct, IBinaryOperator<T>
{
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly Tensor _y;
    private readonly StridedLayout _layout;
    private readonly Execution.WorkerTeam _team;
    private readonly int _runsPerPart;

    public BinaryKernel(KernelBinding binding)
        : base(binding.Node)
    {
        (_a, _b, _y) = (binding.Input(0), binding.Input(1), binding.Output);
        Shape shape = _y.Shape;
        _layout = StridedLayout.Create(shape, StridedLayout.BroadcastStrides(_a.Shape, shape), StridedLayout.BroadcastStrides(_b.Shape, shape));
        _team = binding.Context.Team;
        _runsPerPart = FixedParts.ItemsPerPart(_layout.InnerLength);
    }

    /// <summary>
    /// A range of the output, for fused runs and for a layout of one run, whose operands each have the output's
    /// shape or one element (the compiler fuses nothing else; one run has no other strides than 1 and 0).
    /// </summary>
    public void RunRange(int start, int count)
    {
        Span<T> dst = _y.AsSpan<T>().Slice(start, count);
        ReadOnlySpan<T> a = _a.AsSpan<T>();
        ReadOnlySpan<T> b = _b.AsSpan<T>();
        bool aIsRun = a.Length != 1 || dst.Length == 1;
        bool bIsRun = b.Length != 1 || dst.Length == 1;
        if (aIsRun && bIsRun)
        {
            TOperator.Invoke(a.Slice(start, count), b.Slice(start, count), dst);
        }
        else if (aIsRun)
        {
            TOperator.Invoke(a.Slice(start, count), b[0], dst);
        }
        else if (bIsRun)
        {
            TOperator.Invoke(a[0], b.Slice(start, count), dst);
        }
        else
        {
            dst.Fill(TOperator.Invoke(a[0], b[0]));
        }
    }

    public override void Run()
    {
        if (_layout.OuterCount == 1)
        {
            FixedParts.RunRange(_team, this, _layout.InnerLength);
        }
        else
        {
            FixedParts.RunItems(_team, this, _layout.OuterCount, _runsPerPart);
        }
    }

    /// <summary>Runs [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of the layout.</summary>
    public void RunItems(int first, int count)
    {
        ReadOnlySpan<T> a = _a.AsSpan<T>();
        ReadOnlySpan<T> b = _b.AsSpan<T>();
        Span<T> y = _y.AsSpan<T>();
        int n = _layout.InnerLength;
        bool aIsRun = _layout.InnerStride(0) != 0;
        bool bIsRun = _layout.InnerStride(1) != 0;
        for (int run = first; run < first + count; run++)
        {
            int oa = _layout.Offset(0, run);
            int ob = _layout.Offset(1, run);
            Span<T> dst = y.Slice(run * n, n);
            if (aIsRun && bIsRun)
            {
                TOperator.Invoke(a.Slice(oa, n), b.Slice(ob, n), dst);
            }
            else if (aIsRun)
            {
                TOperator.Invoke(a.Slice(oa, n), b[ob], dst);
            }
            else if (bIsRun)
            {
                TOperator.Invoke(a[oa], b.Slice(ob, n), dst);
            }
            else
            {
                dst.Fill(TOperator.Invoke(a[oa], b[ob]));
            }
        }
    }
}

/// <summary>Factories of <see cref="BinaryKernel{T, TOperator}"/> by dtype.</summary>
internal static class BinaryKernel
{
    /// <summary>The float32, float64 or int64 kernel, by the node's dtype.</summary>
    public static Kernel ForNumber<TFloat, TDouble, TLong>(KernelBinding b)
        where TFloat : struct, IBinaryOperator<float>
        where TDouble : struct, IBinaryOperator<double>
        where TLong : struct, IBinaryOperator<long> => b.Output.DType switch
        {
            DType.Float32 => new BinaryKernel<float, TFloat>(b),
            DType.Float64 => new BinaryKernel<double, TDouble>(b),
            _ => new BinaryKernel<long, TLong>(b),
        };
}

/// <summary>Factories of float-only <see cref="BinaryKernel{T, TOperator}"/>s.</summary>
internal static class FloatBinaryKernel
{
    /// <summary>The float32 or float64 kernel, by the node's dtype.</summary>
    public static Kernel Create<TFloat, TDouble>(KernelBinding b)
        where TFloat : struct, IBinaryOperator<float>
        where TDouble : struct, IBinaryOperator<double> =>
        b.IsFloat32 ? new BinaryKernel<float, TFloat>(b) : new BinaryKernel<double, TDouble>(b);
}
