using Graph.Core;
using Graph.Onnx.Reading;

namespace Graph.Onnx.Import;

/// <summary>
/// Shape arithmetic computed while importing, on int64 tensors known then (what <c>Shape</c>, <c>Constant</c> and
/// integer initializers give): exporters compute <c>Reshape</c>'s target with <c>Shape → Gather → Concat</c> chains
/// that Graph, whose shapes are static, folds away.
/// </summary>
internal static class KnownTensors
{
    /// <summary>Folded tensors are shape vectors and index lists; a bigger one is not shape arithmetic.</summary>
    private const long MaxFoldedElements = 1 << 20;

    public static Tensor Ints(long[] data, params int[] dims) => Tensors.Create(data, dims);

    /// <summary><paramref name="a"/> op <paramref name="b"/> with NumPy broadcasting.</summary>
    public static Tensor Broadcast(Tensor a, Tensor b, Func<long, long, long> op)
    {
        int rank = Math.Max(a.Shape.Rank, b.Shape.Rank);
        int[] da = Padded(a.Shape, rank);
        int[] db = Padded(b.Shape, rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = da[i] == 1 ? db[i] : db[i] == 1 || db[i] == da[i] ? da[i] : throw new ArgumentException($"shapes {a.Shape} and {b.Shape} do not broadcast");
        }

        long[] x = a.ToArray<long>();
        long[] y = b.ToArray<long>();
        var result = new long[RequireSmall(Count(dims))];
        var index = new int[rank];
        for (long n = 0; n < result.Length; n++)
        {
            result[n] = op(x[Offset(index, da)], y[Offset(index, db)]);
            Next(index, dims);
        }

        return Tensors.Create(result, dims);
    }

    /// <summary><paramref name="tensor"/> converted to <paramref name="to"/>, truncating toward zero into int64 as ONNX's Cast does.</summary>
    public static Tensor Cast(Tensor tensor, DType to)
    {
        int[] dims = tensor.Shape.ToArray();
        double[] values = tensor.DType == DType.Int64 ? tensor.ToArray<long>().Select(v => (double)v).ToArray() : tensor.ToDoubleArray();
        return to switch
        {
            DType.Int64 when tensor.DType == DType.Int64 => tensor,
            DType.Int64 => Tensors.Create(values.Select(v => double.IsFinite(v) ? (long)Math.Clamp(Math.Truncate(v), long.MinValue, long.MaxValue) : 0L).ToArray(), dims),
            DType.Float32 => Tensors.Create(values.Select(v => (float)v).ToArray(), dims),
            DType.Float64 => Tensors.Create(values, dims),
            _ => Tensors.Create(values.Select(v => v != 0).ToArray(), dims),
        };
    }

    /// <summary>ONNX Gather: <c>data[:axis] + indices.shape + data[axis+1:]</c>, negative indices counting from the end.</summary>
    public static Tensor Gather(Tensor data, int axis, Tensor indices)
    {
        int[] d = data.Shape.ToArray();
        long[] values = data.ToArray<long>();
        long[] idx = indices.ToArray<long>();
        int outer = (int)Count(d[..axis]);
        int inner = (int)Count(d[(axis + 1)..]);
        int size = d[axis];
        int[] dims = [.. d[..axis], .. indices.Shape.ToArray(), .. d[(axis + 1)..]];
        var result = new long[RequireSmall(Count(dims))];
        int n = 0;
        for (int o = 0; o < outer; o++)
        {
            foreach (long raw in idx)
            {
                long i = raw < 0 ? raw + size : raw;
                if (i < 0 || i >= size)
                {
                    throw new ArgumentException($"index {raw} is out of range for axis {axis} of size {size}");
                }

                Array.Copy(values, ((o * size) + i) * inner, result, n, inner);
                n += inner;
            }
        }

        return Tensors.Create(result, dims);
    }

    /// <summary>Joins int64 tensors along <paramref name="axis"/>.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, int axis)
    {
        int[] first = parts[0].Shape.ToArray();
        int outer = (int)Count(first[..axis]);
        int inner = (int)Count(first[(axis + 1)..]);
        int total = 0;
        foreach (Tensor part in parts)
        {
            int[] d = part.Shape.ToArray();
            if (d.Length != first.Length || !d[..axis].SequenceEqual(first[..axis]) || !d[(axis + 1)..].SequenceEqual(first[(axis + 1)..]))
            {
                throw new ArgumentException($"concat: shapes {parts[0].Shape} and {part.Shape} differ off axis {axis}");
            }

            total += d[axis];
        }

        int[] dims = first.ToArray();
        dims[axis] = total;
        var result = new long[RequireSmall(Count(dims))];
        int n = 0;
        for (int o = 0; o < outer; o++)
        {
            foreach (Tensor part in parts)
            {
                int block = part.Shape[axis] * inner;
                part.AsSpan<long>().Slice(o * block, block).CopyTo(result.AsSpan(n, block));
                n += block;
            }
        }

        return Tensors.Create(result, dims);
    }

    /// <summary>Elements <c>start, start + step, …</c> short of <c>end</c> along each axis, bounds already clamped as ONNX's Slice does.</summary>
    public static Tensor Slice(Tensor data, int[] starts, int[] steps, int[] counts)
    {
        int[] d = data.Shape.ToArray();
        long[] values = data.ToArray<long>();
        int[] strides = data.Shape.Strides();
        var result = new long[RequireSmall(Count(counts))];
        var index = new int[d.Length];
        for (int n = 0; n < result.Length; n++)
        {
            long offset = 0;
            for (int axis = 0; axis < d.Length; axis++)
            {
                offset += (starts[axis] + ((long)index[axis] * steps[axis])) * strides[axis];
            }

            result[n] = values[offset];
            Next(index, counts);
        }

        return Tensors.Create(result, counts);
    }

    /// <summary>The same data under new dimensions (Reshape, Unsqueeze, Squeeze, Flatten of a known tensor).</summary>
    public static Tensor Reshaped(Tensor data, int[] dims) => Tensors.Create(data.ToArray<long>(), dims);

    private static long RequireSmall(long count) =>
        count <= MaxFoldedElements ? count : throw new NotSupportedException($"folding shape arithmetic would make {count} elements; shape arithmetic is at most {MaxFoldedElements}");

    private static long Count(ReadOnlySpan<int> dims)
    {
        long count = 1;
        foreach (int d in dims)
        {
            count = Math.Min(count * d, MaxFoldedElements + 1);
        }

        return count;
    }

    private static int[] Padded(Shape shape, int rank)
    {
        var dims = Enumerable.Repeat(1, rank).ToArray();
        shape.Dims.CopyTo(dims.AsSpan(rank - shape.Rank));
        return dims;
    }

    private static long Offset(int[] index, int[] dims)
    {
        long offset = 0;
        for (int i = 0; i < dims.Length; i++)
        {
            offset = (offset * dims[i]) + (dims[i] == 1 ? 0 : index[i]);
        }

        return offset;
    }

    private static void Next(int[] index, int[] dims)
    {
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            if (++index[i] < dims[i])
            {
                return;
            }

            index[i] = 0;
        }
    }
}
