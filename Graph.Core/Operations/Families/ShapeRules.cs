namespace Graph.Core.Operations;

/// <summary>Shape rules that several ops share: NumPy broadcasting, axis lists, dtype checks.</summary>
internal static class ShapeRules
{
    /// <summary>The NumPy broadcast of two shapes: align from the right; sizes must match or be 1.</summary>
    public static Shape Broadcast(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1 && da != Shape.Dynamic && db != Shape.Dynamic)
            {
                throw new OpRuleException($"shapes {a} and {b} do not broadcast: dimension {i - rank} is {da} in one and {db} in the other, and broadcasting needs equal sizes or 1. Reshape one operand so the sizes match or are 1");
            }

            dims[i] = BroadcastDim(da, db);
        }

        return new Shape(dims);
    }

    /// <summary>
    /// One broadcast dimension. A dynamic one against 1 or another dynamic one stays dynamic; against a fixed size
    /// n it is n (the session checks it is 1 or n when it runs). Two dynamic ones must agree: a session checks it.
    /// </summary>
    private static int BroadcastDim(int da, int db) =>
        da == db ? da
        : da == 1 ? db
        : db == 1 ? da
        : da == Shape.Dynamic ? db
        : da;

    /// <summary>True when <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool BroadcastsTo(Shape from, Shape to)
    {
        if (from.Rank > to.Rank)
        {
            return false;
        }

        for (int i = 1; i <= from.Rank; i++)
        {
            // A dynamic size is checked when a session fixes it.
            if (from[^i] != 1 && from[^i] != to[^i] && from[^i] != Shape.Dynamic && to[^i] != Shape.Dynamic)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="target"/> with each <see cref="Shape.Dynamic"/> size replaced by <paramref name="source"/>'s
    /// size at that axis, aligned from the right (1 where <paramref name="source"/> has no such axis).
    /// </summary>
    public static int[] FillDynamic(int[] target, Shape source)
    {
        int[] filled = (int[])target.Clone();
        for (int i = 1; i <= filled.Length; i++)
        {
            if (filled[^i] == Shape.Dynamic)
            {
                filled[^i] = i <= source.Rank ? source[^i] : 1;
            }
        }

        return filled;
    }

    /// <summary>Normalizes <paramref name="axes"/> (negative counts from the end) into a sorted set; null means all axes.</summary>
    public static int[] NormalizeAxes(int[]? axes, int rank)
    {
        if (axes is null)
        {
            return Enumerable.Range(0, rank).ToArray();
        }

        var normalized = new SortedSet<int>();
        foreach (int axis in axes)
        {
            int a = NormalizeAxis(axis, rank);
            if (!normalized.Add(a))
            {
                throw new OpRuleException($"axis {axis} appears twice in [{string.Join(", ", axes)}]; list each axis once");
            }
        }

        return normalized.ToArray();
    }

    /// <summary>Maps a possibly negative axis into [0, rank).</summary>
    public static int NormalizeAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            throw new OpRuleException($"axis {axis} is out of range for rank {rank}; use an axis in [{-rank}, {rank - 1}]");
        }

        return a;
    }

    /// <summary>
    /// The axis attribute <paramref name="key"/>, which must already be in [0, <paramref name="rank"/>): the one form
    /// the builder writes (it normalizes negative axes before storing them) and the only one kernels read. A file
    /// that stores another form is refused here rather than crashing a kernel that indexes with it.
    /// </summary>
    public static int CanonicalAxis(OpAttributes attributes, string key, int rank)
    {
        int axis = attributes.GetInt(key);
        RequireCanonicalAxis(key, axis, rank);
        return axis;
    }

    /// <summary>Throws unless <paramref name="axis"/>, an element of attribute <paramref name="key"/>, is in [0, <paramref name="rank"/>).</summary>
    public static void RequireCanonicalAxis(string key, int axis, int rank)
    {
        if (axis < 0 || axis >= rank)
        {
            throw new OpRuleException($"attribute '{key}' holds axis {axis}, which is not in [0, {rank - 1}] for rank {rank}: attributes store axes normalized, counting from 0");
        }
    }

    /// <summary>The shape after reducing <paramref name="axes"/> (normalized), keeping them as size 1 or dropping them.</summary>
    public static Shape Reduce(Shape shape, int[] axes, bool keepDim)
    {
        var dims = new List<int>(shape.Rank);
        for (int i = 0; i < shape.Rank; i++)
        {
            if (Array.IndexOf(axes, i) < 0)
            {
                dims.Add(shape[i]);
            }
            else if (keepDim)
            {
                dims.Add(1);
            }
        }

        return new Shape(dims.ToArray());
    }

    /// <summary>Requires a float32 or float64 operand.</summary>
    public static void RequireFloatingPoint(TensorType type, string what = "the operand")
    {
        if (!type.DType.IsFloatingPoint())
        {
            throw new OpRuleException($"{what} is {type.DType.Name()}, but this op needs float32 or float64. Convert it with .Cast(DType.Float32)");
        }
    }

    /// <summary>Requires two operands of one dtype: Graph never converts implicitly.</summary>
    public static void RequireSameDType(TensorType a, TensorType b)
    {
        if (a.DType != b.DType)
        {
            throw new OpRuleException($"the operands have dtypes {a.DType.Name()} and {b.DType.Name()}; convert one with .Cast(DType.{b.DType}) or .Cast(DType.{a.DType}) so they match");
        }
    }
}
