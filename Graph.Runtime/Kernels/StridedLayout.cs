using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// How several operands line up over one iteration shape, for kernels that walk them together
/// (broadcasting, reductions, permutations, batched matrix products). Each operand has a stride per axis,
/// 0 where it is broadcast. Adjacent axes that are contiguous for every operand are merged, so the walk is
/// an outer loop over runs of <see cref="InnerLength"/> elements that kernels hand to vectorized span code.
/// Built once per kernel; <see cref="Offset"/> allocates nothing.
/// </summary>
internal sealed class StridedLayout
{
    private readonly int[] _outerDims;
    private readonly int[][] _outerStrides;
    private readonly int[] _innerStrides;

    private StridedLayout(int[] dims, int[][] strides)
    {
        int rank = dims.Length;
        InnerLength = rank == 0 ? 1 : dims[rank - 1];
        _innerStrides = strides.Select(s => rank == 0 ? 0 : s[rank - 1]).ToArray();
        _outerDims = rank == 0 ? [] : dims[..(rank - 1)];
        _outerStrides = strides.Select(s => rank == 0 ? [] : s[..(rank - 1)]).ToArray();
        long outer = 1;
        foreach (int d in _outerDims)
        {
            outer *= d;
        }

        OuterCount = checked((int)outer);
        if (InnerLength == 0)
        {
            OuterCount = 0;
        }
    }

    /// <summary>The number of runs.</summary>
    public int OuterCount { get; }

    /// <summary>The length of each run.</summary>
    public int InnerLength { get; }

    /// <summary>
    /// Lays out operands over <paramref name="shape"/>; <paramref name="strides"/> holds each operand's stride per
    /// axis of <paramref name="shape"/> (in elements, 0 for a broadcast axis).
    /// </summary>
    public static StridedLayout Create(Shape shape, params int[][] strides)
    {
        var dims = new List<int>();
        var merged = strides.Select(_ => new List<int>()).ToArray();
        for (int axis = 0; axis < shape.Rank; axis++)
        {
            int d = shape[axis];
            if (d == 1)
            {
                continue; // a size-1 axis moves no operand
            }

            bool contiguous = dims.Count > 0 && strides.Select((s, k) => merged[k][^1] == s[axis] * d).All(x => x);
            if (contiguous)
            {
                dims[^1] *= d;
                for (int k = 0; k < strides.Length; k++)
                {
                    merged[k][^1] = strides[k][axis];
                }
            }
            else
            {
                dims.Add(d);
                for (int k = 0; k < strides.Length; k++)
                {
                    merged[k].Add(strides[k][axis]);
                }
            }
        }

        if (shape.ElementCount == 0)
        {
            return new StridedLayout([0], strides.Select(_ => new[] { 0 }).ToArray());
        }

        return new StridedLayout(dims.ToArray(), merged.Select(m => m.ToArray()).ToArray());
    }

    /// <summary>Row-major strides of <paramref name="operand"/> aligned to the right of <paramref name="shape"/>, 0 on broadcast axes.</summary>
    public static int[] BroadcastStrides(Shape operand, Shape shape)
    {
        int[] own = operand.Strides();
        var strides = new int[shape.Rank];
        int offset = shape.Rank - operand.Rank;
        for (int axis = offset; axis < shape.Rank; axis++)
        {
            strides[axis] = operand[axis - offset] == 1 ? 0 : own[axis - offset];
        }

        return strides;
    }

    /// <summary>The number of axes the runs are laid out over (the run's own axis excluded).</summary>
    public int OuterRank => _outerDims.Length;

    /// <summary>The extent of outer axis <paramref name="axis"/>; run indices are row-major over the outer axes.</summary>
    public int OuterDim(int axis) => _outerDims[axis];

    /// <summary>The stride of <paramref name="operand"/> along outer axis <paramref name="axis"/>.</summary>
    public int OuterStride(int operand, int axis) => _outerStrides[operand][axis];

    /// <summary>The stride of <paramref name="operand"/> within a run.</summary>
    public int InnerStride(int operand) => _innerStrides[operand];

    /// <summary>Where run <paramref name="run"/> of <paramref name="operand"/> starts.</summary>
    public int Offset(int operand, int run)
    {
        int[] strides = _outerStrides[operand];
        int offset = 0;
        for (int axis = _outerDims.Length - 1; axis >= 0 && run > 0; axis--)
        {
            int d = _outerDims[axis];
            offset += run % d * strides[axis];
            run /= d;
        }

        return offset;
    }
}
