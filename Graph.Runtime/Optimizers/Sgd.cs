using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

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
        Span<T> p = Session.ParameterValue(parameter).AsSpan<T>();
        ReadOnlySpan<T> d = gradTensor.AsSpan<T>();
        if (_weightDecay != 0)
        {
            Span<T> decayed = Scratch(parameter, index).AsSpan<T>();
            TensorPrimitives.MultiplyAdd(p, T.CreateChecked(_weightDecay), d, decayed);
            d = decayed;
        }

        if (_momentum != 0)
        {
            Span<T> buffer = Session.OptimizerState.GetOrCreate(parameter, "momentum_buffer", out bool created).AsSpan<T>();
            if (created)
            {
                d.CopyTo(buffer);
            }
            else
            {
                TensorPrimitives.Multiply(buffer, T.CreateChecked(_momentum), buffer);
                TensorPrimitives.MultiplyAdd(d, T.CreateChecked(1 - _dampening), buffer, buffer);
            }

            if (_nesterov)
            {
                Span<T> ahead = Scratch(parameter, index).AsSpan<T>();
                TensorPrimitives.MultiplyAdd(buffer, T.CreateChecked(_momentum), d, ahead);
                d = ahead;
            }
            else
            {
                d = buffer;
            }
        }

        TensorPrimitives.MultiplyAdd(d, T.CreateChecked(-_lr), p, p);
    }
}
