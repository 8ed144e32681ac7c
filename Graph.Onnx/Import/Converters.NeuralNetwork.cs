using Graph.Core;

namespace Graph.Onnx.Import;

/// <summary>Layers: linear algebra, 2-D convolution and pooling, normalization, softmax.</summary>
internal static partial class Converters
{
    private static void AddNeuralNetwork(Dictionary<string, Action<NodeContext>> all)
    {
        all["MatMul"] = node => node.Output(node.Input(0).MatMul(node.Input(1)));
        all["Gemm"] = Gemm;
        all["Conv"] = Conv;
        all["MaxPool"] = MaxPool;
        all["AveragePool"] = AveragePool;
        all["GlobalAveragePool"] = node => node.Output(node.Input(0).Mean(SpatialAxes(node), keepDim: true));
        all["BatchNormalization"] = BatchNormalization;
        all["LayerNormalization"] = LayerNormalization;
        all["Softmax"] = node => Softmax(node, (x, axis) => Ops.Softmax(x, axis));
        all["LogSoftmax"] = node => Softmax(node, (x, axis) => Ops.LogSoftmax(x, axis));
    }

    /// <summary>
    /// Softmax along one axis from opset 13; before it, over everything from the axis (default 1) on, as if the input
    /// were flattened to 2-D there.
    /// </summary>
    private static void Softmax(NodeContext node, Func<Value, int, Value> softmax)
    {
        Value x = node.Input(0);
        int rank = x.Shape.Rank;
        if (node.Opset >= 13)
        {
            node.Output(softmax(x, node.Axis(node.Int("axis", -1), rank)));
            return;
        }

        int axis = node.Axis(node.Int("axis", 1), rank);
        if (axis == rank - 1)
        {
            node.Output(softmax(x, axis));
            return;
        }

        int[] dims = x.Shape.ToArray();
        if (dims[axis..].Contains(-1))
        {
            throw node.Unsupported($"softmax over the axes from {axis} on of [{string.Join(", ", dims)}] needs them static");
        }

        int inner = dims[axis..].Aggregate(1, (a, b) => checked(a * b));
        node.Output(softmax(x.Reshape([.. dims[..axis], inner]), axis).Reshape(dims));
    }

    private static int[] SpatialAxes(NodeContext node)
    {
        int rank = node.Input(0).Shape.Rank;
        return rank >= 3 ? Enumerable.Range(2, rank - 2).ToArray() : throw node.Error($"the input has rank {rank}; it needs [batch, channels, spatial...]");
    }

    private static void Gemm(NodeContext node)
    {
        node.RequireInputs(2);
        Value a = node.Input(0);
        Value b = node.Input(1);
        if (a.Shape.Rank != 2 || b.Shape.Rank != 2)
        {
            throw node.Error($"A {a.Shape} and B {b.Shape} must be 2-D");
        }

        a = node.Int("transA", 0) != 0 ? a.T() : a;
        b = node.Int("transB", 0) != 0 ? b.T() : b;
        Value y = a.MatMul(b);
        float alpha = node.Float("alpha", 1f);
        y = alpha == 1f ? y : y * alpha;
        if (node.Has(2))
        {
            float beta = node.Float("beta", 1f);
            Value c = node.Input(2);
            y = y + (beta == 1f ? c : c * beta);
        }

        node.Output(y);
    }

    /// <summary>The two spatial axes' attributes of a 2-D convolution or pooling, resolved to explicit pads.</summary>
    private readonly record struct Window(int KernelH, int KernelW, int StrideH, int StrideW, int DilationH, int DilationW, int Top, int Left, int Bottom, int Right)
    {
        public bool SymmetricPads => Top == Bottom && Left == Right && Top == Left;
    }

    private static Window ReadWindow(NodeContext node, Value x, int kernelH, int kernelW)
    {
        if (x.Shape.Rank != 4)
        {
            throw node.Unsupported($"the input {x.Shape} is not 4-D [batch, channels, height, width]; Graph imports 2-D {node.Node.OpType} only");
        }

        int[] Pair(string name, int absent)
        {
            long[]? values = node.Ints(name);
            if (values is null)
            {
                return [absent, absent];
            }

            return values.Length == 2 ? values.Select(v => node.ToInt(v, name)).ToArray() : throw node.Error($"attribute '{name}' has {values.Length} entries; a 2-D {node.Node.OpType} takes 2");
        }

        int[] strides = Pair("strides", 1);
        int[] dilations = Pair("dilations", 1);
        long[] pads = node.Ints("pads") ?? [0, 0, 0, 0];
        if (pads.Length != 4 || pads.Any(p => p < 0))
        {
            throw node.Error($"attribute 'pads' [{string.Join(", ", pads)}] must be 4 non-negative entries");
        }

        var window = new Window(kernelH, kernelW, strides[0], strides[1], dilations[0], dilations[1], node.ToInt(pads[0], "pad"), node.ToInt(pads[1], "pad"), node.ToInt(pads[2], "pad"), node.ToInt(pads[3], "pad"));
        string autoPad = node.String("auto_pad", "NOTSET");
        return autoPad switch
        {
            "NOTSET" => window,
            "VALID" => window with { Top = 0, Left = 0, Bottom = 0, Right = 0 },
            "SAME_UPPER" or "SAME_LOWER" => SamePads(node, window, x.Shape[2], x.Shape[3], upper: autoPad == "SAME_UPPER"),
            _ => throw node.Error($"auto_pad '{autoPad}' is not NOTSET, VALID, SAME_UPPER or SAME_LOWER"),
        };
    }

    private static Window SamePads(NodeContext node, Window w, int height, int width, bool upper)
    {
        if (height < 0 || width < 0)
        {
            throw node.Unsupported("auto_pad SAME needs static spatial sizes");
        }

        (int Before, int After) Split(int size, int kernel, int stride, int dilation)
        {
            int output = (size + stride - 1) / stride;
            int total = Math.Max(0, ((output - 1) * stride) + ((kernel - 1) * dilation) + 1 - size);
            return upper ? (total / 2, total - (total / 2)) : (total - (total / 2), total / 2);
        }

        (int top, int bottom) = Split(height, w.KernelH, w.StrideH, w.DilationH);
        (int left, int right) = Split(width, w.KernelW, w.StrideW, w.DilationW);
        return w with { Top = top, Bottom = bottom, Left = left, Right = right };
    }

    /// <summary>Zero padding as explicit pad ops, for pads Graph's ops do not take as a setting.</summary>
    private static Value PadExplicitly(Value x, Window w) =>
        Ops.Pad(Ops.Pad(x, 2, w.Top, w.Bottom), 3, w.Left, w.Right);

    private static void Conv(NodeContext node)
    {
        node.RequireInputs(2);
        Value x = node.Input(0);
        Value weight = node.Input(1);
        if (weight.Shape.Rank != 4)
        {
            throw node.Unsupported($"the weight {weight.Shape} is not 4-D; Graph imports 2-D convolutions only");
        }

        Window w = ReadWindow(node, x, weight.Shape[2], weight.Shape[3]);
        if (node.Ints("kernel_shape") is { } kernel && !kernel.SequenceEqual([w.KernelH, w.KernelW]))
        {
            throw node.Error($"kernel_shape [{string.Join(", ", kernel)}] differs from the weight's {weight.Shape}");
        }

        if (w.StrideH != w.StrideW || w.DilationH != w.DilationW)
        {
            throw node.Unsupported($"strides [{w.StrideH}, {w.StrideW}] and dilations [{w.DilationH}, {w.DilationW}] must be the same along height and width");
        }

        int padding = w.SymmetricPads ? w.Top : 0;
        Value input = w.SymmetricPads ? x : PadExplicitly(x, w);
        int groups = node.ToInt(node.Int("group", 1), "group");
        node.Output(Ops.Conv2d(input, weight, node.Has(2) ? node.Input(2) : null, w.StrideH, padding, w.DilationH, groups));
    }

    /// <summary>The square kernel of a pooling node, whose window Graph's pooling ops take as one size.</summary>
    private static (Value X, Window Window) Pooling(NodeContext node)
    {
        node.RequireInputs(1);
        node.RequireOutputsAtMost(1);
        Value x = node.Input(0);
        long[] kernel = node.Ints("kernel_shape") ?? throw node.Error("attribute 'kernel_shape' is required");
        if (kernel.Length != 2)
        {
            throw node.Unsupported($"kernel_shape [{string.Join(", ", kernel)}]: Graph imports 2-D pooling only");
        }

        Window w = ReadWindow(node, x, node.ToInt(kernel[0], "kernel"), node.ToInt(kernel[1], "kernel"));
        if (w.KernelH != w.KernelW || w.StrideH != w.StrideW)
        {
            throw node.Unsupported($"kernel [{w.KernelH}, {w.KernelW}] and strides [{w.StrideH}, {w.StrideW}] must be square: Graph pools square windows");
        }

        if (w.DilationH != 1 || w.DilationW != 1)
        {
            throw node.Unsupported("dilated pooling is not supported");
        }

        if (node.Int("ceil_mode", 0) != 0 && !FloorEqualsCeil(x, w))
        {
            throw node.Unsupported("ceil_mode 1 gives a larger output than Graph's pooling, which rounds down, for this input");
        }

        return (x, w);
    }

    private static bool FloorEqualsCeil(Value x, Window w) =>
        x.Shape[2] >= 0 && x.Shape[3] >= 0
        && (x.Shape[2] + w.Top + w.Bottom - w.KernelH) % w.StrideH == 0
        && (x.Shape[3] + w.Left + w.Right - w.KernelW) % w.StrideW == 0;

    private static void MaxPool(NodeContext node)
    {
        (Value x, Window w) = Pooling(node);
        if (node.Int("storage_order", 0) != 0)
        {
            throw node.Unsupported("storage_order 1 is not supported");
        }

        if (!w.SymmetricPads || 2 * w.Top > w.KernelH)
        {
            throw node.Unsupported($"pads [{w.Top}, {w.Left}, {w.Bottom}, {w.Right}] must be equal and at most half the kernel {w.KernelH}: Graph's max pooling pads with −∞ symmetrically");
        }

        node.Output(Ops.MaxPool2d(x, w.KernelH, w.StrideH, w.Top));
    }

    /// <summary>
    /// Average pooling. Graph's divides every window by kernel², counting padding; ONNX's default (count_include_pad 0)
    /// divides by the elements inside the input, which is the same pooling divided by the pooled indicator of the input.
    /// </summary>
    private static void AveragePool(NodeContext node)
    {
        (Value x, Window w) = Pooling(node);
        bool padded = w.Top + w.Left + w.Bottom + w.Right > 0;
        bool settingFits = w.SymmetricPads && 2 * w.Top <= w.KernelH;
        Value Pool(Value v) => settingFits ? Ops.AvgPool2d(v, w.KernelH, w.StrideH, w.Top) : Ops.AvgPool2d(PadExplicitly(v, w), w.KernelH, w.StrideH);
        Value pooled = Pool(x);
        if (padded && node.Int("count_include_pad", 0) == 0)
        {
            if (x.Shape[2] < 0 || x.Shape[3] < 0)
            {
                throw node.Unsupported("count_include_pad 0 with padding needs static spatial sizes");
            }

            Value inside = node.Builder.Constant(Tensor.Ones(new Shape(1, 1, x.Shape[2], x.Shape[3]), x.DType));
            pooled = pooled / Pool(inside);
        }

        node.Output(pooled);
    }

    private static void BatchNormalization(NodeContext node)
    {
        node.RequireInputs(5);
        node.RequireOutputsAtMost(1);
        if (node.Int("training_mode", 0) != 0)
        {
            throw node.Unsupported("training_mode 1 is not supported; Graph imports batch normalization for inference, with the running statistics");
        }

        Value x = node.Input(0);
        Value scale = node.Input(1);
        Value bias = node.Input(2);
        Value mean = node.Input(3);
        Value variance = node.Input(4);
        double eps = node.Float("epsilon", 1e-5f);
        if (x.Shape.Rank == 4 && !mean.RequiresGrad && !variance.RequiresGrad)
        {
            node.Output(Ops.BatchNorm2d(x, scale, bias, mean, variance, training: false, eps: eps));
            return;
        }

        if (x.Shape.Rank < 2)
        {
            throw node.Error($"the input {x.Shape} needs [batch, channels, ...]");
        }

        // Other ranks: the inference formula, each per-channel vector shaped to broadcast along axis 1.
        int[] perChannel = [x.Shape[1], .. Enumerable.Repeat(1, x.Shape.Rank - 2)];
        Value Channel(Value v) => v.Reshape(perChannel);
        node.Output((((x - Channel(mean)) / (Channel(variance) + eps).Sqrt()) * Channel(scale)) + Channel(bias));
    }

    private static void LayerNormalization(NodeContext node)
    {
        node.RequireInputs(2);
        node.RequireOutputsAtMost(3);
        Value x = node.Input(0);
        int axis = node.Axis(node.Int("axis", -1), x.Shape.Rank);
        LayerNormalizationStatistics(node, x, axis);
        int[] normalized = x.Shape.ToArray()[axis..];
        Value scale = node.Input(1);
        Value? bias = node.Has(2) ? node.Input(2) : null;
        double eps = node.Float("epsilon", 1e-5f);
        var shape = new Shape(normalized);
        if (scale.Shape == shape && (bias is null || bias.Shape == shape))
        {
            node.Output(Ops.LayerNorm(x, normalized, scale, bias, eps));
            return;
        }

        // Scale and bias that broadcast to the normalized shape without having it.
        Value y = Ops.LayerNorm(x, normalized, null, null, eps) * scale;
        node.Output(bias is null ? y : y + bias);
    }

    /// <summary>The optional Mean and InvStdDev outputs, of the input's rank with ones along the normalized axes.</summary>
    private static void LayerNormalizationStatistics(NodeContext node, Value x, int axis)
    {
        int[] axes = Enumerable.Range(axis, x.Shape.Rank - axis).ToArray();
        if (node.Node.Output.Count > 1 && node.Node.Output[1].Length > 0)
        {
            node.Output(x.Mean(axes, keepDim: true), 1);
        }

        if (node.Node.Output.Count > 2 && node.Node.Output[2].Length > 0)
        {
            double eps = node.Float("epsilon", 1e-5f);
            node.Output((x.Var(axes, keepDim: true, unbiased: false) + eps).Rsqrt(), 2);
        }
    }
}
