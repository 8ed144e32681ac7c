using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>cast: converts every element, as <c>tensor.to(dtype)</c> (floats to int64 truncate toward zero; nonzero is true).</summary>
internal static class CastKernel
{
    public static Kernel Create(KernelBinding b) => (b.Input(0).DType, b.Output.DType) switch
    {
        (DType.Bool, _) => new FromBool(b),
        (_, DType.Bool) => new ToBool(b),
        (DType.Float32, DType.Float64) => new Numeric<float, double>(b),
        (DType.Float32, DType.Int64) => new Numeric<float, long>(b),
        (DType.Float32, DType.Float32) => new Numeric<float, float>(b),
        (DType.Float64, DType.Float32) => new Numeric<double, float>(b),
        (DType.Float64, DType.Int64) => new Numeric<double, long>(b),
        (DType.Float64, DType.Float64) => new Numeric<double, double>(b),
        (DType.Int64, DType.Float32) => new Numeric<long, float>(b),
        (DType.Int64, DType.Float64) => new Numeric<long, double>(b),
        _ => new Numeric<long, long>(b),
    };

    private sealed class Numeric<TFrom, TTo>(KernelBinding b) : Kernel(b.Node)
        where TFrom : unmanaged, INumberBase<TFrom>
        where TTo : unmanaged, INumberBase<TTo>
    {
        private readonly Tensor _x = b.Input(0);
        private readonly Tensor _y = b.Output;

        public override void Run()
        {
            ReadOnlySpan<TFrom> x = _x.AsSpan<TFrom>();
            Span<TTo> y = _y.AsSpan<TTo>();
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = TTo.CreateTruncating(x[i]);
            }
        }
    }

    private sealed class FromBool(KernelBinding b) : Kernel(b.Node)
    {
        private readonly Tensor _x = b.Input(0);
        private readonly Tensor _y = b.Output;

        public override void Run()
        {
            ReadOnlySpan<bool> x = _x.AsSpan<bool>();
            for (int i = 0; i < x.Length; i++)
            {
                _y.SetDouble(i, x[i] ? 1 : 0);
            }
        }
    }

    private sealed class ToBool(KernelBinding b) : Kernel(b.Node)
    {
        private readonly Tensor _x = b.Input(0);
        private readonly Tensor _y = b.Output;

        public override void Run()
        {
            Span<bool> y = _y.AsSpan<bool>();
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = _x.GetDouble(i) != 0;
            }
        }
    }
}
