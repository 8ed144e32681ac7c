using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Graph.Core;
using Graph.Runtime.Kernels;

namespace Graph.Runtime;

/// <summary>
/// Adam, exactly as torch.optim.Adam (not AdamW: weight decay is L2 added to the gradient): moments updated
/// with the same operations in the same order, bias corrections from each parameter's own step count.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly double _beta2;
    private readonly double _eps;
    private double _beta1;

    // Per parameter, set by Prepare for the step's parts: its step count, weight-decay scratch and moments.
    private readonly long[] _steps;
    private readonly Tensor?[] _decayed;
    private readonly Tensor?[] _expAvg;
    private readonly Tensor?[] _expAvgSq;
    private readonly Tensor?[] _maxExpAvgSq;

    /// <summary>An optimizer of every parameter of <paramref name="session"/> that requires a gradient.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range (betas in [0, 1), the rest non-negative).</exception>
    public Adam(Session session, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this(session, null, lr, beta1, beta2, eps, weightDecay, amsgrad)
    {
    }

    /// <summary>
    /// An optimizer of <paramref name="groups"/> of <paramref name="session"/>'s parameters, each with its own learning rate
    /// and weight decay (null ones take <paramref name="lr"/> and <paramref name="weightDecay"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range (betas in [0, 1), the rest non-negative).</exception>
    /// <exception cref="ArgumentException">A group names a value that is not a trainable parameter of the session, or names one twice.</exception>
    public Adam(Session session, IReadOnlyList<ParameterGroup>? groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(session, groups, lr, weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), $"Betas must be in [0, 1); got ({beta1}, {beta2}).");
        }

        (_beta1, _beta2, _eps, Amsgrad) = (beta1, beta2, eps, amsgrad);
        _steps = new long[ParameterCount];
        _decayed = new Tensor?[ParameterCount];
        _expAvg = new Tensor?[ParameterCount];
        _expAvgSq = new Tensor?[ParameterCount];
        _maxExpAvgSq = new Tensor?[ParameterCount];
    }

    /// <summary>
    /// Whether the step divides by the largest second moment seen so far (torch's <c>amsgrad=True</c>, state slot
    /// <c>max_exp_avg_sq</c>) rather than by the current one.
    /// </summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    internal override double CycledMomentum
    {
        get => _beta1;
        set => _beta1 = value;
    }

    /// <inheritdoc/>
    private protected override void Prepare(int index, Value parameter)
    {
        OptimizerState state = Session.OptimizerState;
        _steps[index] = state.IncrementStep(parameter);
        _decayed[index] = WeightDecayOf(index) != 0 ? Scratch(parameter, index) : null;
        _expAvg[index] = state.GetOrCreate(parameter, "exp_avg", out _);
        _expAvgSq[index] = state.GetOrCreate(parameter, "exp_avg_sq", out _);
        _maxExpAvgSq[index] = Amsgrad ? state.GetOrCreate(parameter, "max_exp_avg_sq", out _) : null;
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
    /// The step on one fixed range of a parameter, with the same operations in the same order for each element as one
    /// pass over the whole tensor.
    /// </summary>
    private void Update<T>(int index, Tensor parameter, Tensor grad, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long step = _steps[index];
        Span<T> p = parameter.AsSpan<T>().Slice(start, count);
        ReadOnlySpan<T> g = grad.AsSpan<T>().Slice(start, count);
        if (_decayed[index] is Tensor decayed)
        {
            Span<T> d = decayed.AsSpan<T>().Slice(start, count);
            TensorPrimitives.MultiplyAdd(p, T.CreateChecked(WeightDecayOf(index)), g, d);
            g = d;
        }

        Span<T> m = _expAvg[index]!.AsSpan<T>().Slice(start, count);
        Span<T> v = _expAvgSq[index]!.AsSpan<T>().Slice(start, count);

        // exp_avg.lerp_(grad, 1 − β1); exp_avg_sq.mul_(β2).addcmul_(grad, grad, 1 − β2); then
        // denom = exp_avg_sq.sqrt() / sqrt(bias_correction2) + eps; param.addcdiv_(exp_avg, denom, −step_size).
        // One pass: each element's moments and then its update, with torch's operations in torch's order
        // (vector lanes round exactly as the scalar loop does: no fused multiply-adds).
        T weight = T.CreateChecked(1 - _beta1);
        T beta2 = T.CreateChecked(_beta2);
        T oneMinusBeta2 = T.CreateChecked(1 - _beta2);
        double biasCorrection1 = 1 - Math.Pow(_beta1, step);
        double biasCorrection2 = 1 - Math.Pow(_beta2, step);
        T negativeStepSize = -T.CreateChecked(LearningRateOf(index) / biasCorrection1);
        T correction2Sqrt = T.CreateChecked(Math.Sqrt(biasCorrection2));
        T eps = T.CreateChecked(_eps);

        ref T pr = ref MemoryMarshal.GetReference(p);
        ref T gr = ref MemoryMarshal.GetReference(g);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T vr = ref MemoryMarshal.GetReference(v);

        // amsgrad: torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq), and the denominator from the maximum.
        bool amsgrad = Amsgrad;
        Span<T> vmax = amsgrad ? _maxExpAvgSq[index]!.AsSpan<T>().Slice(start, count) : default;
        ref T vmaxr = ref MemoryMarshal.GetReference(vmax);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var at = (nuint)i;
                Vector512<T> gi = Vector512.LoadUnsafe(ref gr, at);
                Vector512<T> mi = Vector512.LoadUnsafe(ref mr, at);
                Vector512<T> vi = Vector512.LoadUnsafe(ref vr, at);
                mi += weight * (gi - mi);
                vi = (vi * beta2) + (oneMinusBeta2 * gi * gi);
                Vector512<T> vd = vi;
                if (amsgrad)
                {
                    vd = Vector512.Max(Vector512.LoadUnsafe(ref vmaxr, at), vi);
                    vd.StoreUnsafe(ref vmaxr, at);
                }

                Vector512<T> denom = (Vector512.Sqrt(vd) / correction2Sqrt) + Vector512.Create(eps);
                (Vector512.LoadUnsafe(ref pr, at) + (negativeStepSize * (mi / denom))).StoreUnsafe(ref pr, at);
                mi.StoreUnsafe(ref mr, at);
                vi.StoreUnsafe(ref vr, at);
            }
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var at = (nuint)i;
                Vector256<T> gi = Vector256.LoadUnsafe(ref gr, at);
                Vector256<T> mi = Vector256.LoadUnsafe(ref mr, at);
                Vector256<T> vi = Vector256.LoadUnsafe(ref vr, at);
                mi += weight * (gi - mi);
                vi = (vi * beta2) + (oneMinusBeta2 * gi * gi);
                Vector256<T> vd = vi;
                if (amsgrad)
                {
                    vd = Vector256.Max(Vector256.LoadUnsafe(ref vmaxr, at), vi);
                    vd.StoreUnsafe(ref vmaxr, at);
                }

                Vector256<T> denom = (Vector256.Sqrt(vd) / correction2Sqrt) + Vector256.Create(eps);
                (Vector256.LoadUnsafe(ref pr, at) + (negativeStepSize * (mi / denom))).StoreUnsafe(ref pr, at);
                mi.StoreUnsafe(ref mr, at);
                vi.StoreUnsafe(ref vr, at);
            }
        }

        for (; i < count; i++)
        {
            m[i] += weight * (g[i] - m[i]);
            v[i] = (v[i] * beta2) + (oneMinusBeta2 * g[i] * g[i]);
            T vd = v[i];
            if (amsgrad)
            {
                vd = vmax[i] = T.Max(vmax[i], v[i]);
            }

            T denom = (T.Sqrt(vd) / correction2Sqrt) + eps;
            p[i] += negativeStepSize * (m[i] / denom);
        }
    }
}
