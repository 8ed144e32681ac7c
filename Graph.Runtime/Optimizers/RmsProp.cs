using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Graph.Core;

namespace Graph.Runtime;

/// <summary>
/// RMSprop, exactly as torch.optim.RMSprop (1.13): L2 weight decay added to the gradient, a running average of its
/// square (minus the square of its running mean when <c>centered</c>), and optional momentum on the scaled step,
/// with torch's operations in torch's order. Its state slots are torch's: <c>square_avg</c>, <c>grad_avg</c>
/// (centered) and <c>momentum_buffer</c> (momentum), all starting at zero.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly double _alpha;
    private readonly double _eps;
    private readonly bool _centered;
    private double _momentum;

    // Per parameter, set by Prepare for the step's parts: its slots (null when the settings need none).
    private readonly Tensor?[] _squareAvg;
    private readonly Tensor?[] _gradAvg;
    private readonly Tensor?[] _buffers;

    /// <summary>An optimizer of every parameter of <paramref name="session"/> that requires a gradient.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative.</exception>
    public RmsProp(Session session, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this(session, null, lr, alpha, eps, weightDecay, momentum, centered)
    {
    }

    /// <summary>
    /// An optimizer of <paramref name="groups"/> of <paramref name="session"/>'s parameters, each with its own learning rate
    /// and weight decay (null ones take <paramref name="lr"/> and <paramref name="weightDecay"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative.</exception>
    /// <exception cref="ArgumentException">A group names a value that is not a trainable parameter of the session, or names one twice.</exception>
    public RmsProp(Session session, IReadOnlyList<ParameterGroup>? groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(session, groups, lr, weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        (_alpha, _eps, _momentum, _centered) = (alpha, eps, momentum, centered);
        _squareAvg = new Tensor?[ParameterCount];
        _gradAvg = new Tensor?[ParameterCount];
        _buffers = new Tensor?[ParameterCount];
    }

    /// <inheritdoc/>
    internal override double CycledMomentum
    {
        get => _momentum;
        set => _momentum = value;
    }

    /// <inheritdoc/>
    private protected override void Prepare(int index, Value parameter)
    {
        // torch counts RMSprop's steps too (state['step']), though the update does not read the count.
        OptimizerState state = Session.OptimizerState;
        _ = state.IncrementStep(parameter);
        _squareAvg[index] = state.GetOrCreate(parameter, "square_avg", out _);
        _gradAvg[index] = _centered ? state.GetOrCreate(parameter, "grad_avg", out _) : null;
        _buffers[index] = _momentum > 0 ? state.GetOrCreate(parameter, "momentum_buffer", out _) : null;
    }

    /// <inheritdoc/>
    private protected override void Update(int index, Tensor parameter, Tensor grad, int start, int count)
    {
        if (parameter.DType == DType.Float32)
        {
            Update<float>(index, parameter, grad, start, count);
        }
        else
        {
            Update<double>(index, parameter, grad, start, count);
        }
    }

    /// <summary>
    /// The step on one fixed range of a parameter in one pass, each element through torch's operations in torch's order:
    /// grad = grad + wd·param; square_avg.mul_(α).addcmul_(grad, grad, 1 − α); centered: grad_avg.mul_(α).add_(grad, alpha=1 − α)
    /// and avg = sqrt(square_avg − grad_avg²), else avg = sqrt(square_avg); avg += eps; with momentum
    /// buf.mul_(momentum).addcdiv_(grad, avg) and param.add_(buf, alpha=−lr), else param.addcdiv_(grad, avg, −lr).
    /// </summary>
    private void Update<T>(int index, Tensor parameter, Tensor grad, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new Constants<T>(
            T.CreateChecked(WeightDecayOf(index)),
            T.CreateChecked(_alpha),
            T.CreateChecked(1 - _alpha),
            T.CreateChecked(_eps),
            T.CreateChecked(_momentum),
            -T.CreateChecked(LearningRateOf(index)));
        bool decay = WeightDecayOf(index) != 0;
        Span<T> p = parameter.AsSpan<T>().Slice(start, count);
        ReadOnlySpan<T> g = grad.AsSpan<T>().Slice(start, count);
        Span<T> sq = _squareAvg[index]!.AsSpan<T>().Slice(start, count);
        Span<T> ga = _gradAvg[index] is Tensor gradAvg ? gradAvg.AsSpan<T>().Slice(start, count) : default;
        Span<T> buf = _buffers[index] is Tensor buffer ? buffer.AsSpan<T>().Slice(start, count) : default;

        // Four loops for the four combinations of the two slots that may be missing, so that no lane tests a flag.
        if (_centered)
        {
            if (!buf.IsEmpty)
            {
                Run<T, Centered, WithMomentum>(c, decay, p, g, sq, ga, buf);
            }
            else
            {
                Run<T, Centered, NoMomentum>(c, decay, p, g, sq, ga, buf);
            }
        }
        else if (!buf.IsEmpty)
        {
            Run<T, Plain, WithMomentum>(c, decay, p, g, sq, ga, buf);
        }
        else
        {
            Run<T, Plain, NoMomentum>(c, decay, p, g, sq, ga, buf);
        }
    }

    private static void Run<T, TCentered, TMomentum>(in Constants<T> c, bool decay, Span<T> p, ReadOnlySpan<T> g, Span<T> sq, Span<T> ga, Span<T> buf)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCentered : struct, IFlag
        where TMomentum : struct, IFlag
    {
        int count = p.Length;
        ref T pr = ref MemoryMarshal.GetReference(p);
        ref T gr = ref MemoryMarshal.GetReference(g);
        ref T sr = ref MemoryMarshal.GetReference(sq);
        ref T ar = ref MemoryMarshal.GetReference(ga);
        ref T br = ref MemoryMarshal.GetReference(buf);
        T zero = T.Zero;
        T wd = decay ? c.WeightDecay : zero;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var at = (nuint)i;
                Vector512<T> pi = Vector512.LoadUnsafe(ref pr, at);
                Vector512<T> gi = Vector512.LoadUnsafe(ref gr, at);
                if (decay)
                {
                    gi += wd * pi;
                }

                Vector512<T> si = (Vector512.LoadUnsafe(ref sr, at) * c.Alpha) + (c.OneMinusAlpha * gi * gi);
                si.StoreUnsafe(ref sr, at);
                Vector512<T> avg;
                if (default(TCentered).On)
                {
                    Vector512<T> ai = (Vector512.LoadUnsafe(ref ar, at) * c.Alpha) + (c.OneMinusAlpha * gi);
                    ai.StoreUnsafe(ref ar, at);
                    avg = Vector512.Sqrt(si - (ai * ai));
                }
                else
                {
                    avg = Vector512.Sqrt(si);
                }

                avg += Vector512.Create(c.Eps);
                if (default(TMomentum).On)
                {
                    Vector512<T> bi = (Vector512.LoadUnsafe(ref br, at) * c.Momentum) + (gi / avg);
                    bi.StoreUnsafe(ref br, at);
                    (pi + (c.NegativeLr * bi)).StoreUnsafe(ref pr, at);
                }
                else
                {
                    (pi + (c.NegativeLr * (gi / avg))).StoreUnsafe(ref pr, at);
                }
            }
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var at = (nuint)i;
                Vector256<T> pi = Vector256.LoadUnsafe(ref pr, at);
                Vector256<T> gi = Vector256.LoadUnsafe(ref gr, at);
                if (decay)
                {
                    gi += wd * pi;
                }

                Vector256<T> si = (Vector256.LoadUnsafe(ref sr, at) * c.Alpha) + (c.OneMinusAlpha * gi * gi);
                si.StoreUnsafe(ref sr, at);
                Vector256<T> avg;
                if (default(TCentered).On)
                {
                    Vector256<T> ai = (Vector256.LoadUnsafe(ref ar, at) * c.Alpha) + (c.OneMinusAlpha * gi);
                    ai.StoreUnsafe(ref ar, at);
                    avg = Vector256.Sqrt(si - (ai * ai));
                }
                else
                {
                    avg = Vector256.Sqrt(si);
                }

                avg += Vector256.Create(c.Eps);
                if (default(TMomentum).On)
                {
                    Vector256<T> bi = (Vector256.LoadUnsafe(ref br, at) * c.Momentum) + (gi / avg);
                    bi.StoreUnsafe(ref br, at);
                    (pi + (c.NegativeLr * bi)).StoreUnsafe(ref pr, at);
                }
                else
                {
                    (pi + (c.NegativeLr * (gi / avg))).StoreUnsafe(ref pr, at);
                }
            }
        }

        for (; i < count; i++)
        {
            T gi = g[i];
            if (decay)
            {
                gi += wd * p[i];
            }

            sq[i] = (sq[i] * c.Alpha) + (c.OneMinusAlpha * gi * gi);
            T avg;
            if (default(TCentered).On)
            {
                ga[i] = (ga[i] * c.Alpha) + (c.OneMinusAlpha * gi);
                avg = T.Sqrt(sq[i] - (ga[i] * ga[i]));
            }
            else
            {
                avg = T.Sqrt(sq[i]);
            }

            avg += c.Eps;
            if (default(TMomentum).On)
            {
                buf[i] = (buf[i] * c.Momentum) + (gi / avg);
                p[i] += c.NegativeLr * buf[i];
            }
            else
            {
                p[i] += c.NegativeLr * (gi / avg);
            }
        }
    }

    /// <summary>A compile-time switch: the JIT removes the untaken branch of each loop.</summary>
    private interface IFlag
    {
        bool On { get; }
    }

    private readonly struct Centered : IFlag
    {
        public bool On => true;
    }

    private readonly struct Plain : IFlag
    {
        public bool On => false;
    }

    private readonly struct WithMomentum : IFlag
    {
        public bool On => true;
    }

    private readonly struct NoMomentum : IFlag
    {
        public bool On => false;
    }

    /// <summary>The step's scalars in the parameter's type.</summary>
    private readonly record struct Constants<T>(T WeightDecay, T Alpha, T OneMinusAlpha, T Eps, T Momentum, T NegativeLr);
}
