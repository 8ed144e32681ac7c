using Graph.Core;

namespace Graph.Onnx.Import;

/// <summary>Elementwise ops, with NumPy broadcasting as in ONNX; integer arithmetic on known shapes folds.</summary>
internal static partial class Converters
{
    private static void AddElementwise(Dictionary<string, Action<NodeContext>> all)
    {
        Binary(all, "Add", (a, b) => a + b, (a, b) => a + b);
        Binary(all, "Sub", (a, b) => a - b, (a, b) => a - b);
        Binary(all, "Mul", (a, b) => a * b, (a, b) => a * b);
        Binary(all, "Div", (a, b) => a / b, (a, b) => b == 0 ? throw new OverflowException("integer division by zero in folded shape arithmetic") : a / b);
        Unary(all, "Relu", x => x.Relu());
        Unary(all, "Sqrt", x => x.Sqrt());
        Unary(all, "Tanh", x => x.Tanh());
        Unary(all, "Sigmoid", x => x.Sigmoid());
        Unary(all, "Exp", x => x.Exp());
        Unary(all, "Log", x => x.Log());
        Unary(all, "Abs", x => x.Abs());
        Unary(all, "Neg", x => -x);
        Unary(all, "Erf", x => x.Erf());
        Unary(all, "Reciprocal", x => 1.0 / x);
        Unary(all, "Softplus", x => x.Softplus());
        all["LeakyRelu"] = node => node.Output(node.Input(0).LeakyRelu(node.Float("alpha", 0.01f)));
        all["Pow"] = Pow;
        all["Clip"] = Clip;
        all["Identity"] = Identity;
        all["Dropout"] = Dropout;
        all["Cast"] = Cast;
        all["Equal"] = node => node.Output(node.Input(0).Equal(node.Input(1)));
        all["Where"] = node => node.Output(Ops.Where(node.Input(0), node.Input(1), node.Input(2)));
    }

    private static void Unary(Dictionary<string, Action<NodeContext>> all, string opType, Func<Value, Value> apply) =>
        all[opType] = node =>
        {
            node.RequireInputs(1);
            node.Output(apply(node.Input(0)));
        };

    private static void Binary(Dictionary<string, Action<NodeContext>> all, string opType, Func<Value, Value, Value> apply, Func<long, long, long> fold) =>
        all[opType] = node =>
        {
            node.RequireInputs(2);
            if (node.AllInputsKnownIntegers())
            {
                node.Output(KnownTensors.Broadcast(node.Known(0)!, node.Known(1)!, fold));
                return;
            }

            node.Output(apply(node.Input(0), node.Input(1)));
        };

    private static void Pow(NodeContext node)
    {
        node.RequireInputs(2);
        Value x = node.Input(0);
        if (node.Known(1) is { ElementCount: 1 } exponent && exponent.Shape.Rank <= x.Shape.Rank)
        {
            node.Output(x.Pow(exponent.ToDoubleArray()[0]));
            return;
        }

        node.Output(x.Pow(node.Input(1).DType == x.DType ? node.Input(1) : node.Input(1).Cast(x.DType)));
    }

    /// <summary>Clip's bounds: inputs from opset 11 (a scalar known while importing becomes a clamp), attributes before.</summary>
    private static void Clip(NodeContext node)
    {
        Value x = node.Input(0);
        if (node.Opset < 11)
        {
            node.Output(x.Clamp(node.HasAttribute("min") ? node.Float("min", 0) : null, node.HasAttribute("max") ? node.Float("max", 0) : null));
            return;
        }

        Value Bound(int index, Func<Value, Value, Value> apply, Value v) =>
            !node.Has(index) ? v
            : node.Known(index) is { ElementCount: 1 } known ? (index == 1 ? v.Clamp(known.ToDoubleArray()[0], null) : v.Clamp(null, known.ToDoubleArray()[0]))
            : apply(v, node.Input(index));
        node.Output(Bound(2, (v, max) => v.Minimum(max), Bound(1, (v, min) => v.Maximum(min), x)));
    }

    private static void Identity(NodeContext node)
    {
        node.RequireInputs(1);
        if (node.Known(0) is { } known)
        {
            node.Output(known);
            return;
        }

        node.Output(node.Input(0));
    }

    /// <summary>Dropout for inference: the input itself, and a mask (when asked for) that keeps everything.</summary>
    private static void Dropout(NodeContext node)
    {
        node.RequireOutputsAtMost(2);
        if (node.Has(2) && (node.Known(2) is not { ElementCount: 1 } training || training.ToDoubleArray()[0] != 0))
        {
            throw node.Unsupported("training_mode must be false: Graph imports dropout for inference (build Ops.Dropout yourself to train with it)");
        }

        Identity(node);
        if (node.Node.Output.Count > 1 && node.Node.Output[1].Length > 0)
        {
            Shape shape = node.Input(0).Shape;
            node.Output(shape.Dims.Contains(-1) ? throw node.Unsupported("the mask of an input with a dynamic dimension") : node.Builder.Constant(Tensor.Full(shape, 1, DType.Bool)), 1);
        }
    }

    private static void Cast(NodeContext node)
    {
        node.RequireInputs(1);
        DType to = Reading.ElementTypes.ToDType(node.ToInt(node.Int("to", 0), "to"), $"{node.Cited}, attribute 'to'");
        if (node.Known(0) is { } known)
        {
            node.Output(KnownTensors.Cast(known, to));
            return;
        }

        Value x = node.Input(0);
        node.Output(x.DType == to ? x : x.Cast(to));
    }
}
