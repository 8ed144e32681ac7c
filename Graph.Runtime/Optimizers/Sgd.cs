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
    private readonly double _dampening;
    private readonly bool _nesterov;
    private double _momentum;

    // Per parameter, set by Prepare for the step's parts: the momentum buffer, whether this step created it, and the
    // scratch for the weight-decayed or look-ahead gradient.
    private readonly Tensor?[] _buffers;
    private readonly bool[] _created;
    private readonly Tensor?[] _work;

    /// <summary>An optimizer of every parameter of <paramref name="session"/> that requires a gradient.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative, or Nesterov momentum is asked for without momentum or with dampening.</exception>
    public Sgd(Session session, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this(session, null, lr, momentum, dampening, weightDecay, nesterov)
    {
    }

    /// <summary>
    /// An optimizer of <paramref name="groups"/> of <paramref name="session"/>'s parameters, each with its own learning rate
    /// and weight decay (null ones take <paramref name="lr"/> and <paramref name="weightDecay"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative, or Nesterov momentum is asked for without momentum or with dampening.</exception>
    /// <exception cref="ArgumentException">A group names a value that is not a trainable parameter of the session, or names one twice.</exception>
    public Sgd(Session session, IReadOnlyList<ParameterGroup>? groups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(session, groups, lr, weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(nesterov), "Nesterov momentum requires a momentum and zero dampening.");
        }

        (_momentum, _dampening, _nesterov) = (momentum, dampening, nesterov);
        _buffers = new Tensor?[ParameterCount];
        _created = new bool[ParameterCount];
        _work = new Tensor?[ParameterCount];
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
        if (WeightDecayOf(index) != 0 || _nesterov)
        {
            _work[index] = Scratch(parameter, index);
        }

        if (_momentum != 0)
        {
            _buffers[index] = Session.OptimizerState.GetOrCreate(parameter, "momentum_buffer", out _created[index]);
        }
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
    /// The step on one fixed range of a parameter: every pass of the update over the range while it is in cache, with
    /// the same operations in the same order for each element as one pass over the whole tensor.
    /// </summary>
    private void Update<T>(int index, Tensor parameter, Tensor grad, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> p = parameter.AsSpan<T>().Slice(start, count);
        ReadOnlySpan<T> d = grad.AsSpan<T>().Slice(start, count);
        double weightDecay = WeightDecayOf(index);
        if (weightDecay != 0)
        {
            Span<T> decayed = _work[index]!.AsSpan<T>().Slice(start, count);
            TensorPrimitives.MultiplyAdd(p, T.CreateChecked(weightDecay), d, decayed);
            d = decayed;
        }

        if (_momentum != 0)
        {
            Span<T> b = _buffers[index]!.AsSpan<T>().Slice(start, count);
            if (_created[index])
            {
                d.CopyTo(b);
            }
            else
            {
                TensorPrimitives.Multiply(b, T.CreateChecked(_momentum), b);
                TensorPrimitives.MultiplyAdd(d, T.CreateChecked(1 - _dampening), b, b);
            }

            if (_nesterov)
            {
                Span<T> ahead = _work[index]!.AsSpan<T>().Slice(start, count);
                TensorPrimitives.MultiplyAdd(b, T.CreateChecked(_momentum), d, ahead);
                d = ahead;
            }
            else
            {
                d = b;
            }
        }

        TensorPrimitives.MultiplyAdd(d, T.CreateChecked(-LearningRateOf(index)), p, p);
    }
}
