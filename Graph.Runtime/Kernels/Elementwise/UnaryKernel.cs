using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>Applies <typeparamref name="TOperator"/> to every element.</summary>
internal sealed class UnaryKernel<T, TOperator>(KernelBinding binding) : Kernel(binding.Node), IRangeKernel
    where T : unmanaged
    where TOperator : struct, IUnaryOperator<T>
{
    private readonly Tensor _x = binding.Input(0);
    private readonly Tensor _y = binding.Output;
    private readonly Execution.WorkerTeam _team = binding.Context.Team;

    public override void Run() => FixedParts.RunRange(_team, this, (int)_y.ElementCount);

    public void RunRange(int start, int count) => TOperator.Invoke(_x.AsSpan<T>().Slice(start, count), _y.AsSpan<T>().Slice(start, count));
}

/// <summary>Factories of <see cref="UnaryKernel{T, TOperator}"/> by dtype.</summary>
internal static class UnaryKernel
{
    /// <summary>The float32 or float64 kernel, by the node's dtype.</summary>
    public static Kernel ForFloat<TFloat, TDouble>(KernelBinding b)
        where TFloat : struct, IUnaryOperator<float>
        where TDouble : struct, IUnaryOperator<double> =>
        b.IsFloat32 ? new UnaryKernel<float, TFloat>(b) : new UnaryKernel<double, TDouble>(b);

    /// <summary>The float32, float64 or int64 kernel, by the node's dtype.</summary>
    public static Kernel ForNumber<TFloat, TDouble, TLong>(KernelBinding b)
        where TFloat : struct, IUnaryOperator<float>
        where TDouble : struct, IUnaryOperator<double>
        where TLong : struct, IUnaryOperator<long> => b.Output.DType switch
        {
            DType.Float32 => new UnaryKernel<float, TFloat>(b),
            DType.Float64 => new UnaryKernel<double, TDouble>(b),
            _ => new UnaryKernel<long, TLong>(b),
        };
}
