using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// conv2d → batch_norm (evaluation mode) → optionally relu, as one kernel: the convolution's product gets the batch
/// norm's per-channel scale and shift, and the ReLU, while each output channel's run is in cache
/// (<see cref="BatchNormEpilogue{T}"/>), and writes the last step's tensor; the intermediates are never written.
/// The scale and shift are recomputed from the batch norm's parameters on every run (a few operations per channel),
/// so a parameter set after the session was made is used as the unfused steps would use it.
/// </summary>
internal sealed class Conv2dBatchNormKernel<T> : Kernel
    where T : unmanaged, INumber<T>, IFloatingPointIeee754<T>
{
    private readonly Tensor _x;
    private readonly Tensor _w;
    private readonly Tensor _weight;
    private readonly Tensor _bias;
    private readonly Tensor _runningMean;
    private readonly Tensor _runningVar;
    private readonly Tensor _y;
    private readonly double _eps;
    private readonly bool _relu;
    private readonly KernelContext _context;
    private readonly Conv2dGeometry _g;
    private readonly T[] _scale;
    private readonly T[] _shift;

    /// <summary>Binds the fused steps: <paramref name="convolution"/>'s inputs, <paramref name="batchNorm"/>'s parameters, and <paramref name="output"/>, the last step's tensor.</summary>
    internal Conv2dBatchNormKernel(KernelBinding convolution, KernelBinding batchNorm, bool relu, Tensor output, Value last)
        : base(last)
    {
        (_x, _w, _context) = (convolution.Input(0), convolution.Input(1), convolution.Context);
        (_weight, _bias, _runningMean, _runningVar) = (batchNorm.Input(1), batchNorm.Input(2), batchNorm.Input(3), batchNorm.Input(4));
        _eps = batchNorm.Node.Attributes.GetDouble("eps");
        _relu = relu;
        _y = output;
        _g = new Conv2dGeometry(_x.Shape, _w.Shape, _y.Shape, convolution.Node.Attributes, _x.DType.SizeInBytes());
        _context.ReserveScratch((long)_g.ImplicitScratchCount * _x.DType.SizeInBytes());
        _scale = new T[_g.OutChannels];
        _shift = new T[_g.OutChannels];
        OpName = relu ? "conv2d+batch_norm+relu" : "conv2d+batch_norm";
    }

    /// <inheritdoc/>
    public override string OpName { get; }

    public override void Run()
    {
        ReadOnlySpan<T> weight = _weight.AsSpan<T>(), bias = _bias.AsSpan<T>(), mean = _runningMean.AsSpan<T>(), variance = _runningVar.AsSpan<T>();
        for (int c = 0; c < _scale.Length; c++)
        {
            (_scale[c], _shift[c]) = BatchNormKernel<T>.EvaluationCoefficients(weight[c], bias[c], mean[c], variance[c], _eps);
        }

        ConvolutionForward.Run(_context, _g, _x.AsSpan<T>(), _w.AsSpan<T>(), _y.AsSpan<T>(), _context.Scratch<T>(_g.ImplicitScratchCount), new BatchNormEpilogue<T>(_scale, _shift, _relu));
    }
}
