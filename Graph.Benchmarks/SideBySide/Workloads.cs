using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Runtime.Kernels;

namespace Graph.Benchmarks.SideBySide;

/// <summary>
/// The workloads of tools/pytorch/bench_torch.py, with its names and iteration bodies; see the table in
/// tools/pytorch/README.md. Each prints one JSON line per measurement.
/// </summary>
internal static class Workloads
{
    /// <summary>Square fp32 C = A·B through the GEMM driver sessions use (not a graph: the kernel alone, as torch.mm is).</summary>
    public static void Sgemm(int threads, Settings settings)
    {
        using var gemm = new GemmParallel(threads);
        foreach (int n in settings.Sizes)
        {
            float[] a = Tensor.Rand(new Shape(n, n), n).AsSpan<float>().ToArray();
            float[] b = Tensor.Rand(new Shape(n, n), n + 1).AsSpan<float>().ToArray();
            float[] c = new float[n * n];
            int repeats = n < 2048 ? settings.Repeats : Math.Max(3, settings.Repeats / 2);
            double[] times = Measurement.Time(() => gemm.Multiply(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n), settings.Warmup, repeats);
            Measurement.Emit($"sgemm_{n}", threads, times, "GemmParallel.Multiply", flops: 2.0 * n * n * n);
        }
    }

    /// <summary>MLP 784-512-512-10, batch 64: zero_grad, forward, cross-entropy, backward, SGD(lr 0.01, momentum 0.9).</summary>
    public static void Mlp(int threads, Settings settings)
    {
        const int Batch = 64;
        (ComputeGraph graph, Value images, Value labels, Value loss) = BenchmarkModels.Mlp(Batch);
        using Session session = Open(graph, threads, [loss]);
        session.SetInput(images, Tensor.Rand(new Shape(Batch, 784), 0));
        var random = new Random(0);
        session.SetInput(labels, Tensor.FromArray(Enumerable.Range(0, Batch).Select(_ => (long)random.Next(10)).ToArray()));
        var sgd = new Sgd(session, lr: 0.01, momentum: 0.9);

        const string Name = "mlp_784_512_512_10_train_step_b64";
        double[] times = TimeSession(
            session,
            Name,
            threads,
            () =>
            {
                sgd.ZeroGrad();
                session.Forward();
                session.Backward();
                sgd.Step();
            },
            settings);
        const double Macs = (784 * 512) + (512 * 512) + (512 * 10);
        Measurement.Emit(Name, threads, times, "Session + Sgd", flops: 3 * 2.0 * Batch * Macs);
    }

    /// <summary>
    /// ResNet-18 (1000 classes): training forward and backward of (prediction − labels).sum() at batch 1 and 16 on
    /// 64×64, then the evaluation forward pass (compiled without gradient roots) at batch 1 on 224×224 and batch 16 on 64×64.
    /// </summary>
    public static void ResNet18(int threads, Settings settings)
    {
        ResNet18Train(threads, settings, batch: 1, size: 64);
        ResNet18Train(threads, settings, batch: 16, size: 64);
        ResNet18Eval(threads, settings, batch: 1, size: 224);
        ResNet18Eval(threads, settings, batch: 16, size: 64);
    }

    /// <summary>
    /// bench_torch.py's chain, 200 elementwise ops (y·w, y + x, tanh, sigmoid, 50 times), sum, backward into x and w,
    /// on 1M and on 1000 elements; then relu(x·2 + 1)·y on 16M elements, forward only.
    /// </summary>
    public static void Elementwise(int threads, Settings settings)
    {
        Chain(threads, settings, 1 << 20, "elementwise_chain_200_1M_fwd_bwd");
        Chain(threads, settings, 1000, "elementwise_chain_200_1000_fwd_bwd");
        ReluAffineMul(threads, settings);
    }

    /// <summary>
    /// Transformer ops, forward and backward of a sum, at batch 8, sequence 128, width 256 and 4 heads of 64: layer
    /// norm, attention without and with the causal mask, and one pre-norm GELU <see cref="Graph.Core.Modules.TransformerEncoderLayer"/>.
    /// </summary>
    public static void Transformer(int threads, Settings settings)
    {
        const int Batch = 8, Length = 128, Width = 256, Heads = 4;
        (ComputeGraph layerNorm, Value layerNormLoss) = BenchmarkModels.LayerNorm(Batch, Length, Width);
        FwdBwd(threads, settings, layerNorm, layerNormLoss, $"layernorm_{Batch}x{Length}x{Width}_fwd_bwd");
        foreach (bool causal in new[] { false, true })
        {
            (ComputeGraph attention, Value attentionLoss) = BenchmarkModels.Attention(Batch, Length, Width, Heads, causal);
            FwdBwd(threads, settings, attention, attentionLoss, $"{(causal ? "causal_attention" : "attention")}_{Batch}x{Length}x{Width}_h{Heads}_fwd_bwd");
        }

        (ComputeGraph layer, Value x, Value layerLoss) = BenchmarkModels.TransformerLayer(Batch, Length, Width, Heads);
        FwdBwd(threads, settings, layer, layerLoss, $"transformer_layer_{Batch}x{Length}x{Width}_h{Heads}_fwd_bwd", (x, Tensor.Rand(new Shape(Batch, Length, Width), 0)));
    }

    private static void ResNet18Train(int threads, Settings settings, int batch, int size)
    {
        (ComputeGraph train, Value images, Value labels, Value loss) = BenchmarkModels.ResNet18Training(batch, size);
        using Session session = Open(train, threads, [loss]);
        session.SetInput(images, Tensor.Rand(new Shape(batch, 3, size, size), 0));
        session.SetInput(labels, Tensor.Rand(new Shape(batch, 1000), 1));
        string name = $"resnet18_train_fwd_bwd_b{batch}_{size}x{size}";
        double[] times = TimeSession(
            session,
            name,
            threads,
            () =>
            {
                session.ZeroGrad();
                session.Forward();
                session.Backward();
            },
            settings);
        Measurement.Emit(name, threads, times, "Session");
    }

    private static void ResNet18Eval(int threads, Settings settings, int batch, int size)
    {
        (ComputeGraph eval, Value images, Value prediction) = BenchmarkModels.ResNet18Eval(batch, size);
        using Session session = OpenInference(eval, threads, prediction);
        session.SetInput(images, Tensor.Rand(new Shape(batch, 3, size, size), 0));
        string name = $"resnet18_eval_fwd_b{batch}_{size}x{size}";
        double[] times = TimeSession(session, name, threads, session.Forward, settings);
        Measurement.Emit(name, threads, times, "Session");
    }

    private static void Chain(int threads, Settings settings, int size, string name)
    {
        (ComputeGraph graph, Value loss) = BenchmarkModels.TorchChain(200, size);
        FwdBwd(threads, settings, graph, loss, name);
    }

    // zero_grad, forward, backward of a graph whose leaves are its parameters (and, for a model, one input).
    private static void FwdBwd(int threads, Settings settings, ComputeGraph graph, Value loss, string name, (Value Input, Tensor Value)? input = null)
    {
        using Session session = Open(graph, threads, [loss]);
        if (input is (Value x, Tensor value))
        {
            session.SetInput(x, value);
        }

        double[] times = TimeSession(
            session,
            name,
            threads,
            () =>
            {
                session.ZeroGrad();
                session.Forward();
                session.Backward();
            },
            settings);
        Measurement.Emit(name, threads, times, "Session");
    }

    private static void ReluAffineMul(int threads, Settings settings)
    {
        const int Size = 1 << 24;
        (ComputeGraph graph, Value x, Value y, Value output) = BenchmarkModels.ReluAffineMul(Size);
        using Session session = OpenInference(graph, threads, output);
        Tensor xs = Tensor.Rand(new Shape(Size), 0);
        Span<float> values = xs.AsSpan<float>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (values[i] * 2) - 1; // rand * 2 - 1, as bench_torch.py draws x: half of x·2 + 1 is negative
        }

        session.SetInput(x, xs);
        session.SetInput(y, Tensor.Rand(new Shape(Size), 1));
        const string Name = "relu_affine_mul_16M_fwd";
        double[] times = TimeSession(session, Name, threads, session.Forward, settings);
        Measurement.Emit(Name, threads, times, "Session");
    }

    private static Session Open(ComputeGraph graph, int threads, Value[] roots) =>
        new(GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = roots }), Options(threads));

    // Inference: the output only, no gradient roots, so no backward pass is compiled.
    private static Session OpenInference(ComputeGraph graph, int threads, Value output) =>
        new(GraphCompiler.Compile(graph, new CompileOptions { Outputs = [output] }), Options(threads));

    // Times a session's steps; with GRAPH_PROFILE=1, prints where the timed steps' time went, per op, to stderr.
    private static double[] TimeSession(Session session, string name, int threads, Action step, Settings settings)
    {
        bool profile = SessionOptions.Default.Profile;
        double[] times = Measurement.Time(step, settings.Warmup, settings.Repeats, profile ? session.ResetProfile : null);
        if (profile)
        {
            Console.Error.WriteLine($"{name}, {threads} threads, {settings.Repeats} steps:");
            Console.Error.WriteLine(session.Profile().ToString(15));
        }

        return times;
    }

    // GRAPH_PROFILE=1 times every tape unit (SessionOptions.Default reads it); Measurement.Emit then prints where the
    // time went to stderr, so the JSON lines on stdout stay what the script parses.
    private static SessionOptions Options(int threads) => new() { Threads = threads, Profile = SessionOptions.Default.Profile };
}
