using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// index_select, gather and their scatter-add gradients (index_add, scatter_add). Each sees the data as
/// [outer, axis, inner]. The indices are checked on the calling thread before any element moves, so an index out of
/// range fails with the node, the index and its position, never inside a worker. The outer blocks are independent:
/// fixed groups of them run on the session's threads; within a block the adds run in index order, so repeated
/// indices sum in the same order for every thread count.
/// </summary>
internal static class IndexKernels
{
    public static Kernel IndexSelect(KernelBinding b) => new IndexSelectKernel(b);

    public static Kernel Gather(KernelBinding b) => b.Output.DType switch
    {
        DType.Float32 => new GatherKernel<float>(b),
        DType.Float64 => new GatherKernel<double>(b),
        _ => new GatherKernel<long>(b),
    };

    public static Kernel IndexAdd(KernelBinding b) => b.IsFloat32 ? new IndexAddKernel<float>(b) : new IndexAddKernel<double>(b);

    public static Kernel ScatterAdd(KernelBinding b) => b.IsFloat32 ? new ScatterAddKernel<float>(b) : new ScatterAddKernel<double>(b);

    private static int Axis(KernelBinding b) => (int)b.Node.Attributes.Values["axis"];

    /// <summary>Throws, naming the node, unless every index is in [0, <paramref name="size"/>).</summary>
    private static void Check(Kernel kernel, ReadOnlySpan<long> indices, int size, int axis)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            if ((ulong)indices[i] >= (ulong)size)
            {
                throw new InvalidOperationException(
                    $"{kernel.Node.Op!.Name} '{kernel.Node.Name}'{(kernel.Node.Source is null ? string.Empty : $" at {kernel.Node.Source}")}: index {indices[i]} at position {i} of the indices is out of range for axis {axis} of size {size}; indices must be in [0, {size}).");
            }
        }
    }

    /// <summary>Copies whole [inner] rows: output row (o, j) is input row (o, indices[j]).</summary>
    private sealed class IndexSelectKernel : Kernel, IItemKernel
    {
        private readonly Tensor _x;
        private readonly Tensor _indices;
        private readonly Tensor _y;
        private readonly int _axis;
        private readonly int _size;
        private readonly int _count;
        private readonly int _rowBytes;
        private readonly int _outer;
        private readonly Execution.WorkerTeam _team;
        private readonly int _itemsPerPart;

        public IndexSelectKernel(KernelBinding b)
            : base(b.Node)
        {
            (_x, _indices, _y, _axis) = (b.Input(0), b.Input(1), b.Output, Axis(b));
            (_outer, _size, int inner) = AxisLayout.Split(_x.Shape, _axis);
            _count = _indices.Shape[0];
            _rowBytes = inner * _x.DType.SizeInBytes();
            _team = b.Context.Team;
            _itemsPerPart = FixedParts.ItemsPerPart(_rowBytes / sizeof(float));
        }

        public override void Run()
        {
            Check(this, _indices.AsSpan<long>(), _size, _axis);
            FixedParts.RunItems(_team, this, _outer * _count, _itemsPerPart);
        }

        /// <summary>Output rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of [outer·k].</summary>
        public void RunItems(int first, int count)
        {
            ReadOnlySpan<long> indices = _indices.AsSpan<long>();
            ReadOnlySpan<byte> x = _x.Bytes;
            Span<byte> y = _y.Bytes;
            for (int item = first; item < first + count; item++)
            {
                (int o, int j) = Math.DivRem(item, _count);
                long source = ((long)o * _size) + indices[j];
                x.Slice((int)(source * _rowBytes), _rowBytes).CopyTo(y.Slice(item * _rowBytes, _rowBytes));
            }
        }
    }

    /// <summary>
    /// Where an element of the indices' shape [outer, k, inner] (around the axis) lies in a data tensor of at least its
    /// sizes: the data offset of each outer and each inner coordinate, computed once when the kernel is bound.
    /// </summary>
    private sealed class IndexGeometry
    {
        public IndexGeometry(Shape indices, Shape data, int axis)
        {
            (Outer, Count, Inner) = AxisLayout.Split(indices, axis);
            (_, Size, Stride) = AxisLayout.Split(data, axis);
            OuterOffsets = Offsets(indices, data, 0, axis, (long)Size * Stride);
            InnerOffsets = Offsets(indices, data, axis + 1, indices.Rank, 1);
        }

        public int Outer { get; }

        public int Count { get; }

        public int Inner { get; }

        public int Size { get; }

        public int Stride { get; }

        public int[] OuterOffsets { get; }

        public int[] InnerOffsets { get; }

        /// <summary>The data offsets of every coordinate of axes [<paramref name="from"/>, <paramref name="to"/>) of the indices' shape, row-major.</summary>
        private static int[] Offsets(Shape indices, Shape data, int from, int to, long unit)
        {
            long count = 1;
            for (int d = from; d < to; d++)
            {
                count *= indices[d];
            }

            var offsets = new int[count];
            for (long e = 0; e < count; e++)
            {
                long rest = e, offset = 0, stride = unit;
                for (int d = to - 1; d >= from; d--)
                {
                    offset += rest % indices[d] * stride;
                    rest /= indices[d];
                    stride *= data[d];
                }

                offsets[e] = checked((int)offset);
            }

            return offsets;
        }
    }

    /// <summary>y[o, j, i] = x[o, indices[o, j, i], i] with x's offsets from <see cref="IndexGeometry"/>, one outer block per item.</summary>
    private sealed class GatherKernel<T> : Kernel, IItemKernel
        where T : unmanaged
    {
        private readonly Tensor _x;
        private readonly Tensor _indices;
        private readonly Tensor _y;
        private readonly int _axis;
        private readonly IndexGeometry _geometry;
        private readonly Execution.WorkerTeam _team;
        private readonly int _itemsPerPart;

        public GatherKernel(KernelBinding b)
            : base(b.Node)
        {
            (_x, _indices, _y, _axis) = (b.Input(0), b.Input(1), b.Output, Axis(b));
            _geometry = new IndexGeometry(_indices.Shape, _x.Shape, _axis);
            _team = b.Context.Team;
            _itemsPerPart = FixedParts.ItemsPerPart((long)_geometry.Count * _geometry.Inner);
        }

        public override void Run()
        {
            Check(this, _indices.AsSpan<long>(), _geometry.Size, _axis);
            FixedParts.RunItems(_team, this, _geometry.Outer, _itemsPerPart);
        }

        public void RunItems(int first, int count)
        {
            ReadOnlySpan<long> indices = _indices.AsSpan<long>();
            ReadOnlySpan<T> x = _x.AsSpan<T>();
            Span<T> y = _y.AsSpan<T>();
            IndexGeometry g = _geometry;
            for (int o = first; o < first + count; o++)
            {
                int source = g.OuterOffsets[o];
                for (int j = 0; j < g.Count; j++)
                {
                    int row = ((o * g.Count) + j) * g.Inner;
                    for (int i = 0; i < g.Inner; i++)
                    {
                        y[row + i] = x[source + ((int)indices[row + i] * g.Stride) + g.InnerOffsets[i]];
                    }
                }
            }
        }
    }

    /// <summary>y = 0, then y[o, indices[j], :] += source[o, j, :] in j order, one outer block per item.</summary>
    private sealed class IndexAddKernel<T> : Kernel, IItemKernel
        where T : unmanaged, INumber<T>
    {
        private readonly Tensor _source;
        private readonly Tensor _indices;
        private readonly Tensor _y;
        private readonly int _axis;
        private readonly int _outer;
        private readonly int _count;
        private readonly int _inner;
        private readonly int _size;
        private readonly Execution.WorkerTeam _team;
        private readonly int _itemsPerPart;

        public IndexAddKernel(KernelBinding b)
            : base(b.Node)
        {
            (_source, _indices, _y, _axis) = (b.Input(0), b.Input(1), b.Output, Axis(b));
            (_outer, _count, _inner) = AxisLayout.Split(_source.Shape, _axis);
            _size = _y.Shape[_axis];
            _team = b.Context.Team;
            _itemsPerPart = FixedParts.ItemsPerPart((long)Math.Max(_count, _size) * _inner);
        }

        public override void Run()
        {
            Check(this, _indices.AsSpan<long>(), _size, _axis);
            FixedParts.RunItems(_team, this, _outer, _itemsPerPart);
        }

        public void RunItems(int first, int count)
        {
            ReadOnlySpan<long> indices = _indices.AsSpan<long>();
            ReadOnlySpan<T> source = _source.AsSpan<T>();
            Span<T> y = _y.AsSpan<T>();
            for (int o = first; o < first + count; o++)
            {
                Span<T> block = y.Slice(o * _size * _inner, _size * _inner);
                block.Clear();
                for (int j = 0; j < _count; j++)
                {
                    Span<T> row = block.Slice((int)indices[j] * _inner, _inner);
                    TensorPrimitives.Add(row, source.Slice(((o * _count) + j) * _inner, _inner), row);
                }
            }
        }
    }

    /// <summary>
    /// y = 0, then y[o, indices[o, j, i], i] += source[o, j, i] in (j, i) order with y's offsets from
    /// <see cref="IndexGeometry"/>, one outer block per item (distinct blocks write distinct elements of y).
    /// </summary>
    private sealed class ScatterAddKernel<T> : Kernel, IItemKernel
        where T : unmanaged, INumber<T>
    {
        private readonly Tensor _source;
        private readonly Tensor _indices;
        private readonly Tensor _y;
        private readonly int _axis;
        private readonly IndexGeometry _geometry;
        private readonly Execution.WorkerTeam _team;
        private readonly int _itemsPerPart;

        public ScatterAddKernel(KernelBinding b)
            : base(b.Node)
        {
            (_source, _indices, _y, _axis) = (b.Input(0), b.Input(1), b.Output, Axis(b));
            _geometry = new IndexGeometry(_indices.Shape, _y.Shape, _axis);
            _team = b.Context.Team;
            _itemsPerPart = FixedParts.ItemsPerPart((long)_geometry.Count * _geometry.Inner);
        }

        public override void Run()
        {
            Check(this, _indices.AsSpan<long>(), _geometry.Size, _axis);
            _y.Bytes.Clear();
            FixedParts.RunItems(_team, this, _geometry.Outer, _itemsPerPart);
        }

        public void RunItems(int first, int count)
        {
            ReadOnlySpan<long> indices = _indices.AsSpan<long>();
            ReadOnlySpan<T> source = _source.AsSpan<T>();
            Span<T> y = _y.AsSpan<T>();
            IndexGeometry g = _geometry;
            for (int o = first; o < first + count; o++)
            {
                int target = g.OuterOffsets[o];
                for (int j = 0; j < g.Count; j++)
                {
                    int row = ((o * g.Count) + j) * g.Inner;
                    for (int i = 0; i < g.Inner; i++)
                    {
                        y[target + ((int)indices[row + i] * g.Stride) + g.InnerOffsets[i]] += source[row + i];
                    }
                }
            }
        }
    }
}

