using System.Numerics.Tensors;
using Graph.Core;
using Graph.Runtime.Execution;
using Graph.Runtime.Kernels;

namespace Graph.Runtime;

/// <summary>
/// <see cref="Session.ClipGradNorm"/>: torch.nn.utils.clip_grad_norm_ with the L2 norm over the stored gradients of every
/// parameter that has one. Two loops over fixed parts of every gradient (64K elements, as an optimizer step): the first
/// sums each part's squares into its own slot, the second scales. The per-part sums are added in part order on the
/// calling thread, so the norm does not depend on the thread count; nothing is allocated after the first call.
/// </summary>
internal sealed class GradientClipping
{
    private readonly Session _session;
    private readonly Value[] _parameters;
    private readonly Tensor?[] _grads;

    // Parameter i owns parts [_firstPart[i], _firstPart[i + 1]) of both loops; _partSums[k] is part k's sum of squares.
    private readonly int[] _firstPart;
    private readonly double[] _partSums;
    private double _coefficient;

    /// <summary>The clipping of every parameter of <paramref name="session"/> that requires a gradient.</summary>
    public GradientClipping(Session session)
    {
        _session = session;
        _parameters = session.Parameters.Where(p => p.RequiresGrad).ToArray();
        _grads = new Tensor?[_parameters.Length];
        _firstPart = new int[_parameters.Length + 1];
        for (int i = 0; i < _parameters.Length; i++)
        {
            _firstPart[i + 1] = _firstPart[i] + FixedParts.Count(_parameters[i].Shape.ElementCount, FixedParts.Elements);
        }

        _partSums = new double[_firstPart[^1]];
    }

    /// <summary>
    /// Scales every stored gradient by min(1, <paramref name="maxNorm"/> / (total + 1e-6)) and returns the total norm
    /// ‖(‖g₁‖, …, ‖gₙ‖)‖ as torch computes it (the norm of the per-tensor norms); 0 when no gradient is stored.
    /// </summary>
    public double Clip(double maxNorm)
    {
        bool any = false;
        for (int i = 0; i < _parameters.Length; i++)
        {
            _grads[i] = _session.ReachedGradient(_parameters[i]);
            any |= _grads[i] is not null;
        }

        if (!any)
        {
            return 0; // torch returns tensor(0.) when no parameter has a gradient
        }

        _session.Team.For(_partSums.Length, new SquaresBody(this));
        double squares = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_grads[i] is not null)
            {
                double sum = 0;
                for (int part = _firstPart[i]; part < _firstPart[i + 1]; part++)
                {
                    sum += _partSums[part];
                }

                double norm = Math.Sqrt(sum);
                squares += norm * norm;
            }
        }

        double total = Math.Sqrt(squares);
        double coefficient = maxNorm / (total + 1e-6);

        // torch multiplies by the clamped coefficient even when it is 1; x·1 is x, so that pass is skipped. A NaN
        // coefficient (a NaN or infinite norm) is not ≥ 1 and spreads into the gradients, as in torch.
        if (!(coefficient >= 1))
        {
            _coefficient = coefficient;
            _session.Team.For(_partSums.Length, new ScaleBody(this));
        }

        return total;
    }

    /// <summary>The gradient and range of part <paramref name="part"/>, or null when its parameter has no gradient.</summary>
    private Tensor? Part(int part, out int start, out int count)
    {
        int index = Array.BinarySearch(_firstPart, part);
        index = index >= 0 ? index : ~index - 1;
        Tensor? grad = _grads[index];
        (start, count) = grad is null ? (0, 0) : FixedParts.Range(part - _firstPart[index], (int)grad.ElementCount);
        return grad;
    }

    private readonly struct SquaresBody(GradientClipping clipping) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            Tensor? grad = clipping.Part(part, out int start, out int count);
            clipping._partSums[part] = grad is null || count <= 0 ? 0
                : grad.DType == DType.Float32 ? TensorPrimitives.SumOfSquares<float>(grad.AsSpan<float>().Slice(start, count))
                : TensorPrimitives.SumOfSquares<double>(grad.AsSpan<double>().Slice(start, count));
        }
    }

    private readonly struct ScaleBody(GradientClipping clipping) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            Tensor? grad = clipping.Part(part, out int start, out int count);
            if (grad is null || count <= 0)
            {
                return;
            }

            if (grad.DType == DType.Float32)
            {
                Span<float> g = grad.AsSpan<float>().Slice(start, count);
                TensorPrimitives.Multiply(g, (float)clipping._coefficient, g);
            }
            else
            {
                Span<double> g = grad.AsSpan<double>().Slice(start, count);
                TensorPrimitives.Multiply(g, clipping._coefficient, g);
            }
        }
    }
}
