using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>conv2d: <see cref="ConvolutionForward"/> of the input with the weights.</summary>
internal sealed class Conv2dKernel<T> : Kernel
    where T : unmanaged, INumber<T>
{
    private readonly Tensor _x;
    private readonly Tensor _w;
    private readonly Tensor _y;
    private readonly KernelContext _context;
    private readonly Conv2dGeometry _g;

    internal Conv2dKernel(KernelBinding b)
        : base(b.Node)
    {
        (_x, _w, _y, _context) = (b.Input(0), b.Input(1), b.Output, b.Context);
        _g = new Conv2dGeometry(_x.Shape, _w.Shape, _y.Shape, b.Node.Attributes, _x.DType.SizeInBytes());
        _context.ReserveScratch((long)_g.ImplicitScratchCount * _x.DType.SizeInBytes());
    }

    public override void Run() =>
        ConvolutionForward.Run<T>(_context, _g, _x.AsSpan<T>(), _w.AsSpan<T>(), _y.AsSpan<T>(), _context.Scratch<T>(_g.ImplicitScratchCount));
}

/// <summary>Picks the convolution kernels by dtype.</summary>
internal static class Conv2dKernels
{
    public static Kernel Conv2d(KernelBinding b) => b.IsFloat32 ? new Conv2dKernel<float>(b) : new Conv2dKernel<double>(b);

    public static Kernel InputGrad(KernelBinding b) => b.IsFloat32 ? new Conv2dInputGradKernel<float>(b) : new Conv2dInputGradKernel<double>(b);

    public static Kernel WeightGrad(KernelBinding b) => b.IsFloat32 ? new Conv2dWeightGradKernel<float>(b) : new Conv2dWeightGradKernel<double>(b);
}
