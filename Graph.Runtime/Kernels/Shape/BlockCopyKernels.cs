using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// concat, slice and pad: seen as [outer, axis, inner], each moves whole contiguous blocks of
/// axis-range × inner elements, so every copy is one memcpy. The outer rows are independent: fixed groups of
/// them (about <see cref="FixedParts.Bytes"/> each) run on the session's threads.
/// </summary>
internal static class BlockCopyKernels
{
    public static Kernel Concat(KernelBinding b) => new ConcatKernel(b);

    public static Kernel Slice(KernelBinding b) => new SliceKernel(b);

    public static Kernel Pad(KernelBinding b) => new PadKernel(b);

    private static int Axis(KernelBinding b) => (int)b.Node.Attributes.Values["axis"];

    private sealed class ConcatKernel : Kernel, IItemKernel
    {
        private readonly Tensor[] _inputs;
        private readonly Tensor _y;
        private readonly int _outer;
        private readonly int[] _blockBytes;
        private readonly int _rowBytes;
        private readonly Execution.WorkerTeam _team;
        private readonly int _rowsPerPart;

        public ConcatKernel(KernelBinding b)
            : base(b.Node)
        {
            (_inputs, _y) = (b.Inputs, b.Output);
            int axis = Axis(b);
            int elementBytes = _y.DType.SizeInBytes();
            (_outer, _, int inner) = AxisLayout.Split(_y.Shape, axis);
            _blockBytes = _inputs.Select(x => x.Shape[axis] * inner * elementBytes).ToArray();
            _rowBytes = _blockBytes.Sum();
            _team = b.Context.Team;
            _rowsPerPart = FixedParts.ItemsPerPart(_rowBytes / sizeof(float));
        }

        public override void Run() => FixedParts.RunItems(_team, this, _outer, _rowsPerPart);

        /// <summary>Fills output rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
        public void RunItems(int first, int count)
        {
            Span<byte> y = _y.Bytes;
            int column = 0;
            for (int k = 0; k < _inputs.Length; k++)
            {
                Span<byte> x = _inputs[k].Bytes;
                int block = _blockBytes[k];
                for (int o = first; o < first + count; o++)
                {
                    x.Slice(o * block, block).CopyTo(y.Slice((o * _rowBytes) + column, block));
                }

                column += block;
            }
        }
    }

    private sealed class SliceKernel : Kernel, IItemKernel
    {
        private readonly Tensor _x;
        private readonly Tensor _y;
        private readonly int _outer;
        private readonly int _rowBytes;
        private readonly int _startBytes;
        private readonly int _blockBytes;
        private readonly Execution.WorkerTeam _team;
        private readonly int _rowsPerPart;

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
            _team = b.Context.Team;
            _rowsPerPart = FixedParts.ItemsPerPart(_blockBytes / sizeof(float));
        }

        public override void Run() => FixedParts.RunItems(_team, this, _outer, _rowsPerPart);

        /// <summary>Fills output rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
        public void RunItems(int first, int count)
        {
            Span<byte> x = _x.Bytes;
            Span<byte> y = _y.Bytes;
            for (int o = first; o < first + count; o++)
            {
                x.Slice((o * _rowBytes) + _startBytes, _blockBytes).CopyTo(y.Slice(o * _blockBytes, _blockBytes));
            }
        }
    }

    private sealed class PadKernel : Kernel, IItemKernel
    {
        private readonly Tensor _x;
        private readonly Tensor _y;
        private readonly int _outer;
        private readonly int _rowBytes;
        private readonly int _beforeBytes;
        private readonly int _blockBytes;
        private readonly Execution.WorkerTeam _team;
        private readonly int _rowsPerPart;

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
            _team = b.Context.Team;
            _rowsPerPart = FixedParts.ItemsPerPart(_rowBytes / sizeof(float));
        }

        public override void Run() => FixedParts.RunItems(_team, this, _outer, _rowsPerPart);

        /// <summary>Fills output rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
        public void RunItems(int first, int count)
        {
            Span<byte> x = _x.Bytes;
            Span<byte> y = _y.Bytes;
            y.Slice(first * _rowBytes, count * _rowBytes).Clear();
            for (int o = first; o < first + count; o++)
            {
                x.Slice(o * _blockBytes, _blockBytes).CopyTo(y.Slice((o * _rowBytes) + _beforeBytes, _blockBytes));
            }
        }
    }
}
