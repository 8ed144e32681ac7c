using Graph.Core;
using Graph.Onnx.Reading;

namespace Graph.Onnx.Import;

/// <summary>Ops that move or reshape data, and the shape arithmetic that feeds them, folded when its inputs are known.</summary>
internal static partial class Converters
{
    private static void AddShapes(Dictionary<string, Action<NodeContext>> all)
    {
        all["Shape"] = ShapeOf;
        all["Size"] = node => node.Output(KnownTensors.Ints([StaticDims(node, 0).Aggregate(1L, (a, b) => a * b)]));
        all["Constant"] = Constant;
        all["ConstantOfShape"] = ConstantOfShape;
        all["Reshape"] = Reshape;
        all["Flatten"] = Flatten;
        all["Transpose"] = Transpose;
        all["Concat"] = Concat;
        all["Gather"] = Gather;
        all["Unsqueeze"] = Unsqueeze;
        all["Squeeze"] = Squeeze;
        all["Slice"] = Slice;
        all["Expand"] = Expand;
    }

    /// <summary>The dimensions of input <paramref name="index"/>, which must all be static (Graph folds shapes while importing).</summary>
    private static int[] StaticDims(NodeContext node, int index)
    {
        node.RequireInputs(index + 1);
        int[] dims = node.Known(index)?.Shape.ToArray() ?? node.Input(index).Shape.ToArray();
        if (dims.Contains(-1))
        {
            throw node.Unsupported($"input '{node.Node.Input[index]}' has a dynamic dimension [{string.Join(", ", dims)}], and Graph computes shape arithmetic while importing; export the model with static input shapes");
        }

        return dims;
    }

    private static int[] DimsOf(NodeContext node, int index) => node.Known(index)?.Shape.ToArray() ?? node.Input(index).Shape.ToArray();

    private static void ShapeOf(NodeContext node)
    {
        int[] dims = StaticDims(node, 0);
        int rank = dims.Length;
        long start = node.Int("start", 0);
        long end = node.Int("end", rank);
        int from = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        int to = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        long[] shape = dims[from..Math.Max(from, to)].Select(d => (long)d).ToArray();
        node.Output(KnownTensors.Ints(shape, shape.Length));
    }

    private static void Constant(NodeContext node)
    {
        if (node.TensorAttribute("value") is { } tensor)
        {
            node.Output(node.Decode(tensor, "attribute 'value'"));
        }
        else if (node.HasAttribute("value_float"))
        {
            node.Output(Tensor.Scalar(node.Float("value_float", 0)));
        }
        else if (node.Floats("value_floats") is { } floats)
        {
            node.Output(Tensors.Create(floats, [floats.Length]));
        }
        else if (node.HasAttribute("value_int"))
        {
            node.Output(KnownTensors.Ints([node.Int("value_int", 0)]));
        }
        else if (node.Ints("value_ints") is { } ints)
        {
            node.Output(KnownTensors.Ints(ints, ints.Length));
        }
        else
        {
            throw node.Unsupported("only the value, value_float(s) and value_int(s) attributes are supported (not sparse or string constants)");
        }
    }

    private static void ConstantOfShape(NodeContext node)
    {
        int[] dims = node.KnownInts(0, "shape").Select(d => d is >= 0 and <= int.MaxValue ? (int)d : throw node.Error($"dimension {d} is out of range")).ToArray();
        Tensor fill = node.TensorAttribute("value") is { } value ? node.Decode(value, "attribute 'value'") : Tensor.Scalar(0);
        if (fill.ElementCount != 1)
        {
            throw node.Error($"attribute 'value' has {fill.ElementCount} elements; it must have one");
        }

        var shape = new Shape(dims);
        if (fill.DType == DType.Int64 && shape.ElementCount <= 1 << 20)
        {
            node.Output(KnownTensors.Ints(Enumerable.Repeat(fill.ToArray<long>()[0], (int)shape.ElementCount).ToArray(), dims));
            return;
        }

        node.Output(node.Builder.Constant(Tensor.Full(shape, fill.ToDoubleArray()[0], fill.DType)));
    }

    /// <summary>ONNX Reshape's target: 0 copies the input's dimension (unless allowzero), one -1 is inferred.</summary>
    private static void Reshape(NodeContext node)
    {
        node.RequireInputs(2);
        int[] dims = DimsOf(node, 0);
        long[] target = node.KnownInts(1, "shape");
        bool allowZero = node.Int("allowzero", 0) != 0;
        int[] shape = new int[target.Length];
        for (int i = 0; i < target.Length; i++)
        {
            shape[i] = target[i] switch
            {
                0 when !allowZero => i < dims.Length ? dims[i] : throw node.Error($"shape entry {i} is 0 (copy) but the input has rank {dims.Length}"),
                >= -1 and <= int.MaxValue => (int)target[i],
                _ => throw node.Error($"shape entry {i} is {target[i]}"),
            };
        }

        if (node.Known(0) is { DType: DType.Int64 } known)
        {
            node.Output(KnownTensors.Reshaped(known, Resolve(node, known.Shape, shape)));
            return;
        }

        node.Output(node.Input(0).Reshape(shape));
    }

    private static int[] Resolve(NodeContext node, Shape from, int[] shape)
    {
        long others = shape.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
        int inferred = shape.Count(d => d == -1);
        if (inferred > 1 || (inferred == 1 && (others == 0 || from.ElementCount % others != 0)) || (inferred == 0 && others != from.ElementCount))
        {
            throw node.Error($"cannot reshape {from} to [{string.Join(", ", shape)}]");
        }

        return shape.Select(d => d == -1 ? (int)(from.ElementCount / others) : d).ToArray();
    }

    private static void Flatten(NodeContext node)
    {
        int[] dims = DimsOf(node, 0);
        long axisAttribute = node.Int("axis", 1);
        int axis = axisAttribute == dims.Length ? dims.Length : node.Axis(axisAttribute, dims.Length);
        int[] outer = dims[..axis];
        int[] inner = dims[axis..];
        int[] shape = [Product(outer, inner.Contains(-1)), Product(inner, outer.Contains(-1) || !inner.Contains(-1))];
        if (outer.Contains(-1) && inner.Contains(-1))
        {
            throw node.Unsupported($"flattening [{string.Join(", ", dims)}] at axis {axis} needs both sides static but one");
        }

        if (node.Known(0) is { DType: DType.Int64 } known)
        {
            node.Output(KnownTensors.Reshaped(known, shape));
            return;
        }

        node.Output(node.Input(0).Reshape(shape));
    }

    /// <summary>The product of <paramref name="dims"/>, or -1 (inferred) when one is dynamic and the other side is static.</summary>
    private static int Product(int[] dims, bool otherSideDynamic) =>
        dims.Contains(-1) && !otherSideDynamic ? -1 : checked((int)dims.Aggregate(1L, (a, b) => a * Math.Max(b, 1)));

    private static void Transpose(NodeContext node)
    {
        Value x = node.Input(0);
        int rank = x.Shape.Rank;
        long[] perm = node.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != rank)
        {
            throw node.Error($"perm [{string.Join(", ", perm)}] has {perm.Length} entries for an input of rank {rank}");
        }

        node.Output(x.Permute(perm.Select(p => node.Axis(p, rank, "perm entry")).ToArray()));
    }

    private static void Concat(NodeContext node)
    {
        node.RequireInputs(1);
        if (!node.HasAttribute("axis"))
        {
            throw node.Error("attribute 'axis' is required");
        }

        int count = node.Node.Input.Count;
        int rank = DimsOf(node, 0).Length;
        int axis = node.Axis(node.Int("axis", 0), rank);
        if (node.AllInputsKnownIntegers())
        {
            node.Output(KnownTensors.Concat(Enumerable.Range(0, count).Where(node.Has).Select(i => node.Known(i)!).ToArray(), axis));
            return;
        }

        node.Output(Ops.Concat(Enumerable.Range(0, count).Where(node.Has).Select(node.Input).ToArray(), axis));
    }

    private static void Gather(NodeContext node)
    {
        node.RequireInputs(2);
        int[] dims = DimsOf(node, 0);
        int axis = node.Axis(node.Int("axis", 0), dims.Length);
        Tensor? indices = node.Known(1);
        if (node.AllInputsKnownIntegers())
        {
            node.Output(KnownTensors.Gather(node.Known(0)!, axis, indices!));
            return;
        }

        Value x = node.Input(0);
        if (indices is { DType: DType.Int64 })
        {
            long[] values = indices.ToArray<long>();
            int size = dims[axis];
            long[] normalized = values.Select(i => i < 0 && size >= 0 ? i + size : i).ToArray();
            if (size >= 0 && normalized.Any(i => i < 0 || i >= size))
            {
                throw node.Error($"an index of [{string.Join(", ", values)}] is out of range for axis {axis} of size {size}");
            }

            if (indices.Shape.Rank == 0)
            {
                int i = (int)normalized[0];
                node.Output(Ops.Slice(x, axis, i, i + 1).Squeeze(axis));
                return;
            }

            indices = Tensors.Create(normalized, indices.Shape.ToArray());
        }

        Value index = indices is null ? FromTheEnd(node.Input(1), dims[axis], node) : node.Builder.Constant(indices);
        int[] indexDims = index.Shape.ToArray();
        Value selected = Ops.IndexSelect(x, axis, indexDims.Length == 1 ? index : index.Reshape(-1));
        int[] shape = [.. dims[..axis], .. indexDims, .. dims[(axis + 1)..]];
        node.Output(indexDims.Length == 1 ? selected : selected.Reshape(shape));
    }

    /// <summary>Indices known only when the graph runs, negative ones counting from the end: <c>i + size · clamp(−i, 0, 1)</c>.</summary>
    private static Value FromTheEnd(Value indices, int size, NodeContext node) =>
        size < 0 ? throw node.Unsupported("gathering along a dynamic axis with indices known only at run time") : indices + (size * (-indices).Clamp(0, 1));

    private static void Unsqueeze(NodeContext node)
    {
        long[] given = AxesOf(node) ?? throw node.Error("axes are required");
        int[] dims = DimsOf(node, 0);
        int rank = dims.Length + given.Length;
        int[] axes = given.Select(a => node.Axis(a, rank, "axes entry")).Order().ToArray();
        if (axes.Distinct().Count() != axes.Length)
        {
            throw node.Error("axes repeat an axis");
        }

        var shape = dims.ToList();
        foreach (int axis in axes)
        {
            shape.Insert(axis, 1);
        }

        if (node.Known(0) is { DType: DType.Int64 } known)
        {
            node.Output(KnownTensors.Reshaped(known, [.. shape]));
            return;
        }

        Value x = node.Input(0);
        foreach (int axis in axes)
        {
            x = x.Unsqueeze(axis);
        }

        node.Output(x);
    }

    /// <summary>The axes of Squeeze, Unsqueeze and ReduceSum: an input from opset 13, an attribute before; null when not given.</summary>
    private static long[]? AxesOf(NodeContext node) =>
        node.Opset >= 13 ? (node.Has(1) ? node.KnownInts(1, "axes") : null) : node.Ints("axes");

    private static void Squeeze(NodeContext node)
    {
        int[] dims = DimsOf(node, 0);
        int[] axes = AxesOf(node) is { } given
            ? given.Select(a => node.Axis(a, dims.Length, "axes entry")).Distinct().ToArray()
            : Enumerable.Range(0, dims.Length).Where(i => dims[i] == 1).ToArray();
        if (axes.Any(a => dims[a] != 1))
        {
            throw node.Error($"an axis of [{string.Join(", ", axes)}] does not have size 1 in [{string.Join(", ", dims)}]");
        }

        if (node.Known(0) is { DType: DType.Int64 } known)
        {
            node.Output(KnownTensors.Reshaped(known, dims.Where((_, i) => !axes.Contains(i)).ToArray()));
            return;
        }

        Value x = node.Input(0);
        foreach (int axis in axes.OrderDescending())
        {
            x = x.Squeeze(axis);
        }

        node.Output(x);
    }

    private static void Slice(NodeContext node)
    {
        node.RequireInputs(3);
        int[] dims = DimsOf(node, 0);
        long[] starts = node.KnownInts(1, "starts");
        long[] ends = node.KnownInts(2, "ends");
        long[] axes = node.Has(3) ? node.KnownInts(3, "axes") : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        long[] steps = node.Has(4) ? node.KnownInts(4, "steps") : Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            throw node.Error("starts, ends, axes and steps must have one length");
        }

        int[] from = new int[dims.Length];
        int[] step = Enumerable.Repeat(1, dims.Length).ToArray();
        int[] count = dims.ToArray();
        var seen = new HashSet<int>();
        for (int i = 0; i < starts.Length; i++)
        {
            int axis = node.Axis(axes[i], dims.Length, "axes entry");
            if (!seen.Add(axis))
            {
                throw node.Error($"axis {axis} is sliced twice");
            }

            long size = dims[axis];
            if (size < 0)
            {
                throw node.Unsupported($"axis {axis} is dynamic; Graph slices static axes");
            }

            if (steps[i] == 0)
            {
                throw node.Error("a step is 0");
            }

            (long first, long n) = SliceBounds(starts[i], ends[i], steps[i], size);
            from[axis] = (int)first;
            step[axis] = (int)Math.Clamp(steps[i], int.MinValue, int.MaxValue);
            count[axis] = (int)n;
        }

        if (node.Known(0) is { DType: DType.Int64 } known)
        {
            node.Output(KnownTensors.Slice(known, from, step, count));
            return;
        }

        Value x = node.Input(0);
        for (int axis = 0; axis < dims.Length; axis++)
        {
            if (count[axis] == dims[axis] && step[axis] == 1)
            {
                continue;
            }

            if (step[axis] != 1)
            {
                throw node.Unsupported($"step {step[axis]} along axis {axis}: Graph slices with step 1 only");
            }

            x = Ops.Slice(x, axis, from[axis], from[axis] + count[axis]);
        }

        node.Output(x);
    }

    /// <summary>ONNX Slice's clamping of one axis: the first index and how many elements the slice takes.</summary>
    private static (long First, long Count) SliceBounds(long start, long end, long step, long size)
    {
        start = start < 0 ? start + size : start;
        end = end < 0 ? end + size : end;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, size);
            end = Math.Clamp(end, 0, size);
            return (start, Math.Max(0, (end - start + step - 1) / step));
        }

        start = Math.Clamp(start, -1, size - 1);
        end = Math.Clamp(end, -1, size - 1);
        return (start, Math.Max(0, (start - end + (-step) - 1) / -step));
    }

    private static void Expand(NodeContext node)
    {
        node.RequireInputs(2);
        Value x = node.Input(0);
        long[] target = node.KnownInts(1, "shape");
        int rank = Math.Max(target.Length, x.Shape.Rank);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int own = i - (rank - x.Shape.Rank) >= 0 ? x.Shape[i - (rank - x.Shape.Rank)] : 1;
            long wanted = i - (rank - target.Length) >= 0 ? target[i - (rank - target.Length)] : 1;
            shape[i] = wanted == 1 ? own : own == 1 || own == wanted ? node.ToInt(wanted, "shape entry") : throw node.Error($"cannot expand {x.Shape} to [{string.Join(", ", target)}]");
        }

        node.Output(x.Shape == new Shape(shape) ? x : x.BroadcastTo(new Shape(shape)));
    }
}
