using Graph.Core;
using Graph.Core.Operations;

namespace Graph.Compiler.Passes;

/// <summary>
/// Constant folding: a node whose operands are all constants becomes a constant holding its result, computed once at
/// compile time, for the ops whose result the compiler can compute exactly as the kernels do: negation, absolute
/// value, square root and the four arithmetic operators with broadcasting (each correctly rounded: in double, then
/// rounded once to float32, which is the float32 operation's own result), and the moves reshape, transpose and
/// permute of any dtype. A result larger than its largest operand is not folded (broadcasting a scalar into a big
/// constant would only move work into the file); nor are outputs, roots and accumulated gradients, which the session
/// reads from the arena. Ids and names stay.
/// </summary>
internal static class ConstantFolding
{
    public static Differentiated Run(Differentiated d)
    {
        var keep = new HashSet<int>(d.Outputs.Concat(d.RetainGrad).Select(v => v.Id));
        foreach ((Value root, Value seed, IReadOnlyList<GradientAccumulation> accumulations) in d.Roots)
        {
            keep.Add(root.Id);
            keep.Add(seed.Id);
            keep.UnionWith(accumulations.Select(a => a.Gradient.Id));
        }

        bool changed = false;
        ComputeGraph graph = GraphBuilder.Rewrite(d.Graph, (v, inputs) =>
        {
            if (v.Op is null || inputs.Length == 0 || keep.Contains(v.Id) || !inputs.All(i => i.Kind == ValueKind.Constant)
                || v.Type.Shape.ElementCount > inputs.Max(i => i.Type.Shape.ElementCount) || Evaluate(v, inputs) is not { } data)
            {
                return null;
            }

            changed = true;
            return NodeForm.Constant(data);
        }).Build();
        return changed ? d.WithGraph(graph) : d;
    }

    private static Tensor? Evaluate(Value v, Value[] inputs)
    {
        Tensor[] operands = inputs.Select(i => i.Data!).ToArray();
        return v.Op switch
        {
            Reshape => Moved(v, operands[0], i => i),
            Transpose or Permute => Moved(v, operands[0], SourceIndex(v, inputs[0].Shape)),
            _ when !v.Type.DType.IsFloatingPoint() || inputs.Any(i => i.Type.DType != v.Type.DType) => null,
            Neg => Elementwise(v, operands, x => -x[0]),
            Abs => Elementwise(v, operands, x => Math.Abs(x[0])),
            Sqrt => Elementwise(v, operands, x => Math.Sqrt(x[0])),
            Add => Elementwise(v, operands, x => x[0] + x[1]),
            Sub => Elementwise(v, operands, x => x[0] - x[1]),
            Mul => Elementwise(v, operands, x => x[0] * x[1]),
            Div => Elementwise(v, operands, x => x[0] / x[1]),
            _ => null,
        };
    }

    /// <summary>The result of an elementwise op: each operand read with NumPy broadcasting, computed in double.</summary>
    private static Tensor Elementwise(Value v, Tensor[] operands, Func<double[], double> apply)
    {
        Shape shape = v.Type.Shape;
        Tensor result = Tensor.Zeros(shape, v.Type.DType);
        Func<long, long>[] index = operands.Select(o => BroadcastIndex(o.Shape, shape)).ToArray();
        var x = new double[operands.Length];
        for (long i = 0; i < shape.ElementCount; i++)
        {
            for (int k = 0; k < operands.Length; k++)
            {
                x[k] = operands[k].GetDouble(index[k](i));
            }

            result.SetDouble(i, apply(x));
        }

        return result;
    }

    /// <summary>A move: result element i is source element <paramref name="sourceIndex"/>(i), copied byte for byte.</summary>
    private static Tensor Moved(Value v, Tensor source, Func<long, long> sourceIndex)
    {
        Tensor result = Tensor.Zeros(v.Type.Shape, v.Type.DType);
        int size = v.Type.DType.SizeInBytes();
        Span<byte> to = result.Bytes;
        ReadOnlySpan<byte> from = source.Bytes;
        for (long i = 0; i < result.ElementCount; i++)
        {
            from.Slice((int)(sourceIndex(i) * size), size).CopyTo(to.Slice((int)(i * size), size));
        }

        return result;
    }

    /// <summary>For a transpose or permute of a value of shape <paramref name="input"/>: the input element behind each output element.</summary>
    private static Func<long, long> SourceIndex(Value v, Shape input)
    {
        int rank = input.Rank;
        int[] dims = v.Op is Permute ? v.Attributes.GetInts("dims") : rank == 2 ? [1, 0] : Enumerable.Range(0, rank).ToArray();
        int[] inputStrides = input.Strides();
        Shape output = v.Type.Shape;
        return i =>
        {
            long source = 0;
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                long coordinate = i % output[axis];
                i /= output[axis];
                source += coordinate * inputStrides[dims[axis]];
            }

            return source;
        };
    }

    /// <summary>The element of an operand of shape <paramref name="operand"/> that broadcasts to each element of <paramref name="result"/>.</summary>
    private static Func<long, long> BroadcastIndex(Shape operand, Shape result)
    {
        int offset = result.Rank - operand.Rank;
        int[] strides = operand.Strides();
        return i =>
        {
            long source = 0;
            for (int axis = result.Rank - 1; axis >= offset; axis--)
            {
                long coordinate = i % result[axis];
                i /= result[axis];
                int own = axis - offset;
                source += operand[own] == 1 ? 0 : coordinate * strides[own];
            }

            return source;
        };
    }
}
