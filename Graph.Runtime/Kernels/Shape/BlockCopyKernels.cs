using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// concat, slice and pad: seen as [outer, axis, inner], each moves whole contiguous blocks of
/// axis-range × inner elements, so every copy is one memcpy.
/// </summary>
internal static class BlockCopyKernels
{
    public static Kernel Concat(KernelBinding b) => new ConcatKernel(b);

    public static Kernel Slice(KernelBinding b) => new SliceKernel(b);

    public static Kernel Pad(KernelBinding b) => new PadKernel(b);

    private static int Axis(KernelBinding b) => (int)b.Node.Attributes.Values["axis"];

    private sealed class ConcatKernel : Kernel
    {
        private readonly Tensor[] _inputs;
        private readonly Tensor _y;
        private readonly int _outer;
        private readonly int[] _blockBytes;
        private readonly int _rowBytes;

        public ConcatKernel(KernelBinding b)
            : base(b.Node)
        {
            (_inputs, _y) = (b.Inputs, b.Output);
            int axis = Axis(b);
            int elementBytes = _y.DType.SizeInBytes();
            (_outer, _, int inner) = AxisLayout.Split(_y.Shape, axis);
            _blockBytes = _inputs.Select(x => x.Shape[axis] * inner * elementBytes).ToArray();
            _rowBytes = _blockBytes.Sum();
        }

        public override void Run()
        {
            Span<byte> y = _y.Bytes;
            int column = 0;
            for (int k = 0; k < _inputs.Length; k++)
            {
                Span<byte> x = _inputs[k].Bytes;
                int block = _blockBytes[k];
                for (int o = 0; o < _outer; o++)
                {
                    x.Slice(o * block, block).CopyTo(y.Slice((o * _rowBytes) + column, block));
                }

                column += block;
            }
        }
    }

    private sealed class SliceKernel : Kernel
    {
        private readonly Tensor _x;
        private readonly Tensor _y;
        private readonly int _outer;
        private readonly int _rowBytes;
        private readonly int _startBytes;
        private readonly int _blockBytes;

        public SliceKernel(KernelBinding b)
            : base(b.Node)
        {
            (_x, _y) = (b.Input(0), b.Output);
            int axis = Axis(b);
            int elementBytes = _y.DType.SizeInBytes();
            (_outer, int size, int inner) = AxisLayout.Split(_x.Shape, axis);
            _rowBytes = size * inner * elementBytes;
            _startBytes = (int)b.Node.Attributes.Values["start"] * inner * elementBytes;
            _blockBytes = _y.Shape[axis] * inner * elementBytes;
        }

        public override void Run()
        {
            Span<byte> x = _x.Bytes;
            Span<byte> y = _y.Bytes;
            for (int o = 0; o < _outer; o++)
            {
                x.Slice((o * _rowBytes) + _startBytes, _blockBytes).CopyTo(y.Slice(o * _blockBytes, _blockBytes));
            }
        }
    }

    private sealed class PadKernel : Kernel
    {
        private readonly Tensor _x;
        private readonly Tensor _y;
        private readonly int _outer;
        private readonly int _rowBytes;
        private readonly int _beforeBytes;
        private readonly int _blockBytes;

        public PadKernel(KernelBinding b)
            : base(b.Node)
        {
            (_x, _y) = (b.Input(0), b.Output);
            int axis = Axis(b);
            int elementBytes = _y.DType.SizeInBytes();
            (_outer, int size, int inner) = AxisLayout.Split(_y.Shape, axis);
            _rowBytes = size * inner * elementBytes;
            _beforeBytes = (int)b.Node.Attributes.Values["before"] * inner * elementBytes;
            _blockBytes = _x.Shape[axis] * inner * elementBytes;
        }

        public override void Run()
        {
            Span<byte> x = _x.Bytes;
            Span<byte> y = _y.Bytes;
            y.Clear();
            for (int o = 0; o < _outer; o++)
            {
                x.Slice(o * _blockBytes, _blockBytes).CopyTo(y.Slice((o * _rowBytes) + _beforeBytes, _blockBytes));
            }
        }
    }
}
