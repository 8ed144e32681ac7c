using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;
using Graph.Runtime.Kernels;

namespace Graph.Runtime;

/// <summary>
/// Stochastic gradient descent, exactly as torch.optim.SGD: optional L2 weight decay added to the gradient,
/// momentum with dampening (the buffer starts as the first gradient), and Nesterov momentum. Parameters
/// that require no gradient, or that no backward pass reached, are skipped.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly double _lr;
    private readonly double _momentum;
    private readonly double _dampening;
    private readonly double _weightDecay;
    private readonly bool _nesterov;

    /// <summary>An optimizer of every parameter of <paramref name="session"/> that requires a gradient.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative, or Nesterov momentum is asked for without momentum or with dampening.</exception>
    public Sgd(Session session, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(session)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lr);
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(nesterov), "Nesterov momentum requires a momentum and zero dampening.");
        }

        (_lr, _momentum, _dampening, _weightDecay, _nesterov) = (lr, momentum, dampening, weightDecay, nesterov);
    }

    /// <inheritdoc/>
    private protected override void Update(Value parameter, Tensor grad, int index)
    {
        if (parameter.DType == DType.Float32)
        {
            Update<float>(index, parameter, grad);
        }
        else
        {
            Update<double>(index, parameter, grad);
        }
    }

    private void Update<T>(int index, Value parameter, Tensor gradTensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor p = Session.ParameterValue(parameter);
        Tensor? scratch = _weightDecay != 0 || _nesterov ? Scratch(parameter, index) : null;
        Tensor? buffer = null;
        bool created = false;
        if (_momentum != 0)
        {
            buffer = Session.OptimizerState.GetOrCreate(parameter, "momentum_buffer", out created);
        }

        FixedParts.For(Session.Team, (int)p.ElementCount, new Part<T>(this, p, gradTensor, scratch, buffer, created));
    }

    /// <summary>
    /// The step on one fixed range of a parameter: every pass of the update over the range while it is in cache, with
    /// the same operations in the same order for each element as one pass over the whole tensor.
    /// </summary>
    private readonly struct Part<T>(Sgd sgd, Tensor parameter, Tensor grad, Tensor? scratch, Tensor? buffer, bool created) : Execution.IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part, int worker)
        {
            (int start, int count) = FixedParts.Range(part, (int)parameter.ElementCount);
            Span<T> p = parameter.AsSpan<T>().Slice(start, count);
            ReadOnlySpan<T> d = grad.AsSpan<T>().Slice(start, count);
            if (sgd._weightDecay != 0)
            {
                Span<T> decayed = scratch!.AsSpan<T>().Slice(start, count);
                TensorPrimitives.MultiplyAdd(p, T.CreateChecked(sgd._weightDecay), d, decayed);
                d = decayed;
            }

            if (buffer is not null)
            {
                Span<T> b = buffer.AsSpan<T>().Slice(start, count);
                if (created)
                {
                    d.CopyTo(b);
                }
                else
                {
                    TensorPrimitives.Multiply(b, T.CreateChecked(sgd._momentum), b);
                    TensorPrimitives.MultiplyAdd(d, T.CreateChecked(1 - sgd._dampening), b, b);
                }

                if (sgd._nesterov)
                {
                    Span<T> ahead = scratch!.AsSpan<T>().Slice(start, count);
                    TensorPrimitives.MultiplyAdd(b, T.CreateChecked(sgd._momentum), d, ahead);
                    d = ahead;
                }
                else
                {
                    d = b;
                }
            }

            TensorPrimitives.MultiplyAdd(d, T.CreateChecked(-sgd._lr), p, p);
        }
    }
}
