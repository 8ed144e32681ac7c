using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// Applies <typeparamref name="TFunction"/> to every element, in double (float32 is widened and rounded once), with
/// the parameters read from the node's attributes when the session binds it. Scalar code: these functions have no
/// TensorPrimitives form; each element's branch is on the data, so a fused run keeps them in cache regardless.
/// </summary>
internal sealed class MappedUnaryKernel<T, TFunction>(KernelBinding binding, double p, double q) : Kernel(binding.Node), IRangeKernel
    where T : unmanaged, IFloatingPointIeee754<T>
    where TFunction : struct, IScalarFunction
{
    private readonly Tensor _x = binding.Input(0);
    private readonly Tensor _y = binding.Output;
    private readonly Execution.WorkerTeam _team = binding.Context.Team;

    public override void Run() => FixedParts.RunRange(_team, this, (int)_y.ElementCount);

    public void RunRange(int start, int count)
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>().Slice(start, count);
        Span<T> y = _y.AsSpan<T>().Slice(start, count);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = T.CreateTruncating(TFunction.Apply(double.CreateTruncating(x[i]), p, q));
        }
    }
}

/// <summary>
/// <see cref="MappedUnaryKernel{T, TFunction}"/> for float32 through the function's vector form, eight elements at a
/// time; the last partial vector is padded into a stack buffer so every element goes through the same formula.
/// </summary>
internal sealed unsafe class VectorMappedUnaryKernel<TFunction>(KernelBinding binding, double p, double q) : Kernel(binding.Node), IRangeKernel
    where TFunction : struct, IFloatVectorFunction
{
    private readonly Tensor _x = binding.Input(0);
    private readonly Tensor _y = binding.Output;
    private readonly Execution.WorkerTeam _team = binding.Context.Team;
    private readonly float _p = (float)p;
    private readonly float _q = (float)q;

    public override void Run() => FixedParts.RunRange(_team, this, (int)_y.ElementCount);

    [SkipLocalsInit]
    public void RunRange(int start, int count)
    {
        ReadOnlySpan<float> x = _x.AsSpan<float>().Slice(start, count);
        Span<float> y = _y.AsSpan<float>().Slice(start, count);
        int width = Vector256<float>.Count;
        int i = 0;
        for (; i + width <= y.Length; i += width)
        {
            TFunction.Apply(Vector256.Create(x.Slice(i, width)), _p, _q).CopyTo(y.Slice(i, width));
        }

        if (i < y.Length)
        {
            Span<float> lanes = stackalloc float[width];
            lanes.Clear();
            x[i..].CopyTo(lanes);
            TFunction.Apply(Vector256.Create<float>(lanes), _p, _q).CopyTo(lanes);
            lanes[..(y.Length - i)].CopyTo(y[i..]);
        }
    }
}

/// <summary>Factories of <see cref="MappedUnaryKernel{T, TFunction}"/>, by dtype, with the parameters from named attributes.</summary>
internal static class MappedUnaryKernel
{
    /// <summary>
    /// <see cref="Of{TFunction}"/> for a function with a float32 vector form, which float32 tensors take where 256-bit
    /// vectors run in hardware.
    /// </summary>
    public static Func<KernelBinding, Kernel> OfVector<TFunction>(string? p = null, string? q = null)
        where TFunction : struct, IScalarFunction, IFloatVectorFunction => b =>
        {
            if (!b.IsFloat32 || !Vector256.IsHardwareAccelerated)
            {
                return Of<TFunction>(p, q)(b);
            }

            return new VectorMappedUnaryKernel<TFunction>(b, Read(b, p), Read(b, q));
        };

    /// <summary>The kernel of <typeparamref name="TFunction"/> with parameters the double attributes <paramref name="p"/> and <paramref name="q"/> (null: 0).</summary>
    public static Func<KernelBinding, Kernel> Of<TFunction>(string? p = null, string? q = null)
        where TFunction : struct, IScalarFunction => b =>
        {
            double pv = Read(b, p);
            double qv = Read(b, q);
            return b.IsFloat32 ? new MappedUnaryKernel<float, TFunction>(b, pv, qv) : new MappedUnaryKernel<double, TFunction>(b, pv, qv);
        };

    private static double Read(KernelBinding b, string? name) => name is null ? 0 : b.Node.Attributes.Values[name] switch
    {
        double d => d,
        bool flag => flag ? 1 : 0,
        var other => throw new InvalidOperationException($"attribute '{name}' of '{b.Node.Name}' is {other}, not a number"),
    };
}
