namespace Graph.Core.Operations;

/// <summary>The shape rules index_select, gather and their scatter-add gradients share.</summary>
internal static class IndexRules
{
    /// <summary>Requires int64 <paramref name="indices"/>.</summary>
    public static void RequireInt64(TensorType indices)
    {
        if (indices.DType != DType.Int64)
        {
            throw new OpRuleException($"the indices must be int64, not {indices.DType.Name()}; cast them with .Cast(DType.Int64)");
        }
    }

    /// <summary>Requires a data operand of a dtype the index kernels copy: float32, float64 or int64.</summary>
    public static void RequireData(TensorType data)
    {
        if (data.DType == DType.Bool)
        {
            throw new OpRuleException("the data operand is bool; index ops take float32, float64 or int64 values, so cast it first");
        }
    }

    /// <summary>The positive <c>size</c> attribute of a scatter-add (the gathered axis's size).</summary>
    public static int Size(OpAttributes attributes)
    {
        int size = attributes.GetInt("size");
        if (size <= 0)
        {
            throw new OpRuleException($"size is {size}; it must be positive, the size of the axis gathered from");
        }

        return size;
    }

    /// <summary><paramref name="shape"/> with axis <paramref name="axis"/> set to <paramref name="size"/>.</summary>
    public static Shape WithAxis(Shape shape, int axis, int size)
    {
        int[] dims = shape.ToArray();
        dims[axis] = size;
        return new Shape(dims);
    }

    /// <summary>
    /// Requires <paramref name="indices"/> to have <paramref name="data"/>'s rank and at most its size on every axis but
    /// <paramref name="axis"/> (torch.gather's and scatter_add's rule).
    /// </summary>
    public static void RequireFitsExceptAxis(Shape data, Shape indices, int axis, string dataName)
    {
        bool fits = indices.Rank == data.Rank;
        for (int d = 0; fits && d < data.Rank; d++)
        {
            fits = d == axis || indices[d] <= data[d];
        }

        if (!fits)
        {
            throw new OpRuleException($"the indices {indices} must have the rank of {dataName} {data} and at most its size on every axis but {axis}");
        }
    }
}
