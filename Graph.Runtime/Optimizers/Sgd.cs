using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime;

/// <summary>
/// Stochastic gradient descent, exactly as torch.optim.SGD: optional L2 weight decay added to the gradient,
/// momentum with dampening (the buffer starts as the first gradient), and Nesterov momentum. Parameters
/// that require no gradient, or that no backward pass reached, are skipped.
/// </summary>
public sealed class Sgd
{
    private readonly Session _session;
    private readonly Value[] _parameters;
    private readonly double _lr;
    private readonly double _momentum;
    private readonly double _dampening;
    private readonly double _weightDecay;
    private readonly bool _nesterov;
    private readonly Tensor?[] _scratch;

    /// <summary>An optimizer of every parameter of <paramref name="session"/> that requires a gradient.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative, or Nesterov momentum is asked for without momentum or with dampening.</exception>
    public Sgd(Session session, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfNegative(lr);
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(nesterov), "Nesterov momentum requires a momentum and zero dampening.");
        }

        (_session, _lr, _momentum, _dampening, _weightDecay, _nesterov) = (session, lr, momentum, dampening, weightDecay, nesterov);
        _parameters = session.Parameters.Where(p => p.RequiresGrad).ToArray();
        _scratch = new Tensor?[_parameters.Length];
    }

    /// <summary>Updates every parameter a backward pass reached.</summary>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            Value p = _parameters[i];
            if (_session.ReachedGradient(p) is not Tensor grad)
            {
                continue;
            }

            if (p.DType == DType.Float32)
            {
                Update<float>(i, p, grad);
            }
            else
            {
                Update<double>(i, p, grad);
            }
        }
    }

    /// <summary>Fills every gradient with zeros.</summary>
    public void ZeroGrad() => _session.ZeroGrad();

    private void Update<T>(int index, Value parameter, Tensor gradTensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> p = _session.ParameterValue(parameter).AsSpan<T>();
        ReadOnlySpan<T> d = gradTensor.AsSpan<T>();
        if (_weightDecay != 0)
        {
            Span<T> decayed = Scratch<T>(index, parameter);
            TensorPrimitives.MultiplyAdd(p, T.CreateChecked(_weightDecay), d, decayed);
            d = decayed;
        }

        if (_momentum != 0)
        {
            Span<T> buffer = _session.OptimizerState.GetOrCreate(parameter, "momentum_buffer", out bool created).AsSpan<T>();
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
                Span<T> ahead = Scratch<T>(index, parameter);
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

    private Span<T> Scratch<T>(int index, Value parameter)
        where T : unmanaged => (_scratch[index] ??= Tensor.Zeros(parameter.Shape, parameter.DType)).AsSpan<T>();
}
