using Graph.Core;
using Graph.Onnx.Reading;
using Proto = global::Onnx;

namespace Graph.Onnx.Export;

/// <summary>Writes one forward step as ONNX nodes: one node for most ops, a few for those ONNX spells differently.</summary>
internal sealed class NodeWriter(Proto.GraphProto graph)
{
    private int _helpers;

    public void Write(Value step)
    {
        string[] x = step.Inputs.Select(v => v.Name).ToArray();
        string y = step.Name;
        OpAttributes a = step.Attributes;
        switch (step.Op!.Name)
        {
            case "add": Node("Add", x, y); break;
            case "sub": Node("Sub", x, y); break;
            case "mul": Node("Mul", x, y); break;
            case "div": Node("Div", x, y); break;
            case "neg": Node("Neg", x, y); break;
            case "relu": Node("Relu", x, y); break;
            case "tanh": Node("Tanh", x, y); break;
            case "sigmoid": Node("Sigmoid", x, y); break;
            case "exp": Node("Exp", x, y); break;
            case "log": Node("Log", x, y); break;
            case "sqrt": Node("Sqrt", x, y); break;
            case "abs": Node("Abs", x, y); break;
            case "erf": Node("Erf", x, y); break;
            case "sin": Node("Sin", x, y); break;
            case "cos": Node("Cos", x, y); break;
            case "sign": Node("Sign", x, y); break;
            case "maximum": Node("Max", x, y); break;
            case "minimum": Node("Min", x, y); break;
            case "where": Node("Where", x, y); break;
            case "equal": Node("Equal", x, y); break;
            case "detach": Node("Identity", x, y); break;
            case "rsqrt": Node("Reciprocal", [Node("Sqrt", x, Helper(y))], y); break;
            case "pow": Node("Pow", [x[0], Scalar(a.GetDouble("exponent"), step.DType, y)], y); break;
            case "pow_tensor": Node("Pow", x, y); break;
            case "leaky_relu": Node("LeakyRelu", x, y, Float("alpha", a.GetDouble("negative_slope"))); break;
            case "clamp": Node("Clip", [x[0], Scalar(a.GetDouble("min"), step.DType, y), Scalar(a.GetDouble("max"), step.DType, y)], y); break;
            case "gelu" when !a.GetBool("approximate"): Gelu(x[0], y, step.DType); break;
            case "cast": Node("Cast", x, y, Int("to", ElementTypes.FromDType(a.GetDType("dtype")))); break;
            case "matmul": MatMul(step, x, y); break;
            case "transpose" when step.Shape.Rank == 2: Node("Transpose", x, y, Ints("perm", 1, 0)); break;
            case "transpose": Node("Identity", x, y); break;
            case "permute": Node("Transpose", x, y, Ints("perm", a.GetInts("dims"))); break;
            case "reshape": Node("Reshape", [x[0], IntsInitializer(a.GetInts("shape"), y)], y); break;
            case "broadcast_to": Node("Expand", [x[0], IntsInitializer(a.GetInts("shape"), y)], y); break;
            case "concat": Node("Concat", x, y, Int("axis", a.GetInt("axis"))); break;
            case "slice": Node("Slice", [x[0], IntsInitializer([a.GetInt("start")], y), IntsInitializer([a.GetInt("end")], y), IntsInitializer([a.GetInt("axis")], y)], y); break;
            case "pad": Pad(step, x[0], y); break;
            case "sum": Node("ReduceSum", [x[0], IntsInitializer(a.GetInts("axes"), y)], y, Int("keepdims", a.GetBool("keep_dim") ? 1 : 0)); break;
            case "mean": Node("ReduceMean", x, y, Ints("axes", a.GetInts("axes")), Int("keepdims", a.GetBool("keep_dim") ? 1 : 0)); break;
            case "max": Node("ReduceMax", x, y, Ints("axes", a.GetInts("axes")), Int("keepdims", a.GetBool("keep_dim") ? 1 : 0)); break;
            case "softmax": Node("Softmax", x, y, Int("axis", a.GetInt("axis"))); break;
            case "log_softmax": Node("LogSoftmax", x, y, Int("axis", a.GetInt("axis"))); break;
            case "index_select": Node("Gather", x, y, Int("axis", a.GetInt("axis"))); break;
            case "conv2d": Conv(step, x, y); break;
            case "max_pool2d": Pool("MaxPool", x, y, a); break;
            case "avg_pool2d": Pool("AveragePool", x, y, a, Int("count_include_pad", 1)); break;
            case "adaptive_avg_pool2d": AdaptiveAveragePool(step, x[0], y); break;
            case "batch_norm" when !a.GetBool("training"): Node("BatchNormalization", x, y, Float("epsilon", a.GetDouble("eps"))); break;
            default:
                throw new NotSupportedException($"'{step.Name}' is {step.Op.Name}({step.Attributes}), which Graph does not export to ONNX; the exporter writes the forward ops of MLPs and CNNs (see Graph.Onnx/Export/NodeWriter.cs).");
        }
    }

    private void MatMul(Value step, string[] x, string y)
    {
        bool transA = step.Attributes.GetBoolOrDefault("trans_a", absent: false);
        bool transB = step.Attributes.GetBoolOrDefault("trans_b", absent: false);
        if (step.Inputs[0].Shape.Rank == 2 && step.Inputs[1].Shape.Rank == 2)
        {
            Node("Gemm", x, y, Int("transA", transA ? 1 : 0), Int("transB", transB ? 1 : 0));
            return;
        }

        string LastTwoSwapped(string name, int rank) =>
            Node("Transpose", [name], Helper(y), Ints("perm", [.. Enumerable.Range(0, rank - 2), rank - 1, rank - 2]));
        string left = transA ? LastTwoSwapped(x[0], step.Inputs[0].Shape.Rank) : x[0];
        string right = transB ? LastTwoSwapped(x[1], step.Inputs[1].Shape.Rank) : x[1];
        Node("MatMul", [left, right], y);
    }

    private void Conv(Value step, string[] x, string y)
    {
        OpAttributes a = step.Attributes;
        int padding = a.GetInt("padding");
        Shape weight = step.Inputs[1].Shape;
        Node(
            "Conv",
            x,
            y,
            Ints("kernel_shape", weight[2], weight[3]),
            Ints("strides", a.GetInt("stride"), a.GetInt("stride")),
            Ints("dilations", a.GetInt("dilation"), a.GetInt("dilation")),
            Ints("pads", padding, padding, padding, padding),
            Int("group", a.GetInt("groups")));
    }

    private void Pool(string opType, string[] x, string y, OpAttributes a, params Proto.AttributeProto[] more)
    {
        int kernel = a.GetInt("kernel");
        int padding = a.GetInt("padding");
        Node(opType, x, y, [Ints("kernel_shape", kernel, kernel), Ints("strides", a.GetInt("stride"), a.GetInt("stride")), Ints("pads", padding, padding, padding, padding), .. more]);
    }

    /// <summary>Adaptive pooling to 1×1 is GlobalAveragePool; to a size that divides the input, a plain average pool.</summary>
    private void AdaptiveAveragePool(Value step, string x, string y)
    {
        Shape input = step.Inputs[0].Shape;
        int[] size = step.Attributes.GetInts("output_size");
        if (size[0] == 1 && size[1] == 1)
        {
            Node("GlobalAveragePool", [x], y);
            return;
        }

        if (input[2] < 0 || input[3] < 0 || input[2] % size[0] != 0 || input[3] % size[1] != 0)
        {
            throw new NotSupportedException($"'{step.Name}' pools {input} adaptively to [{size[0]}, {size[1]}], which ONNX has no op for; only 1×1 or sizes that divide the input export.");
        }

        int kh = input[2] / size[0];
        int kw = input[3] / size[1];
        Node("AveragePool", [x], y, Ints("kernel_shape", kh, kw), Ints("strides", kh, kw));
    }

    private void Pad(Value step, string x, string y)
    {
        int rank = step.Shape.Rank;
        var pads = new long[2 * rank];
        int axis = step.Attributes.GetInt("axis");
        pads[axis] = step.Attributes.GetInt("before");
        pads[rank + axis] = step.Attributes.GetInt("after");
        Node("Pad", [x, IntsInitializer(pads.Select(p => (int)p).ToArray(), y)], y);
    }

    /// <summary>GELU as ONNX before opset 20 writes it: <c>x · 0.5 · (1 + erf(x / √2))</c>.</summary>
    private void Gelu(string x, string y, DType dtype)
    {
        string scaled = Node("Div", [x, Scalar(Math.Sqrt(2), dtype, y)], Helper(y));
        string erf = Node("Erf", [scaled], Helper(y));
        string shifted = Node("Add", [erf, Scalar(1, dtype, y)], Helper(y));
        string half = Node("Mul", [x, Scalar(0.5, dtype, y)], Helper(y));
        Node("Mul", [half, shifted], y);
    }

    private string Node(string opType, string[] inputs, string output, params Proto.AttributeProto[] attributes)
    {
        var node = new Proto.NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    /// <summary>A fresh name for an intermediate of a step written as several nodes.</summary>
    private string Helper(string step) => $"{step}::{_helpers++}";

    private string Scalar(double value, DType dtype, string step)
    {
        string name = Helper(step);
        Tensor scalar = dtype == DType.Int64 ? Tensors.Create([(long)value], []) : Tensor.Scalar(value, dtype);
        graph.Initializer.Add(TensorEncoder.Encode(scalar, name));
        return name;
    }

    private string IntsInitializer(int[] values, string step)
    {
        string name = Helper(step);
        graph.Initializer.Add(TensorEncoder.Encode(Tensors.Create(values.Select(v => (long)v).ToArray(), [values.Length]), name));
        return name;
    }

    private static Proto.AttributeProto Int(string name, long value) => new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Int, I = value };

    private static Proto.AttributeProto Float(string name, double value) => new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Float, F = (float)value };

    private static Proto.AttributeProto Ints(string name, params int[] values)
    {
        var attribute = new Proto.AttributeProto { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values.Select(v => (long)v));
        return attribute;
    }
}
