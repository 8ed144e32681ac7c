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

        double[] times = Measurement.Time(
            () =>
            {
                sgd.ZeroGrad();
                session.Forward();
                session.Backward();
                sgd.Step();
            },
            settings.Warmup,
            settings.Repeats);
        const double Macs = (784 * 512) + (512 * 512) + (512 * 10);
        Measurement.Emit("mlp_784_512_512_10_train_step_b64", threads, times, "Session + Sgd", flops: 3 * 2.0 * Batch * Macs);
    }

    /// <summary>ResNet-18 on 16×3×64×64: training forward and backward of (prediction − labels).sum(), then the evaluation forward pass.</summary>
    public static void ResNet18(int threads, Settings settings)
    {
        const int Batch = 16;
        const int Size = 64;
        (ComputeGraph train, Value images, Value labels, Value loss) = BenchmarkModels.ResNet18Training(Batch, Size);
        using (Session session = Open(train, threads, [loss]))
        {
            session.SetInput(images, Tensor.Rand(new Shape(Batch, 3, Size, Size), 0));
            session.SetInput(labels, Tensor.Rand(new Shape(Batch, 1000), 1));
            double[] times = Measurement.Time(
                () =>
                {
                    session.ZeroGrad();
                    session.Forward();
                    session.Backward();
                },
                settings.Warmup,
                settings.Repeats);
            Measurement.Emit("resnet18_train_fwd_bwd_b16_64x64", threads, times, "Session");
        }

        (ComputeGraph eval, Value evalImages, Value prediction) = BenchmarkModels.ResNet18Eval(Batch, Size);
        using (Session session = new(GraphCompiler.Compile(eval, new CompileOptions { Outputs = [prediction] }), new SessionOptions { Threads = threads }))
        {
            session.SetInput(evalImages, Tensor.Rand(new Shape(Batch, 3, Size, Size), 0));
            double[] times = Measurement.Time(session.Forward, settings.Warmup, settings.Repeats);
            Measurement.Emit("resnet18_eval_fwd_b16_64x64", threads, times, "Session");
        }
    }

    /// <summary>200 elementwise ops on 1M elements (y·w, y + x, tanh, sigmoid, 50 times), sum, backward into x and w.</summary>
    public static void Elementwise(int threads, Settings settings)
    {
        (ComputeGraph graph, Value loss) = BenchmarkModels.TorchChain(200, 1 << 20);
        using Session session = Open(graph, threads, [loss]);
        double[] times = Measurement.Time(
            () =>
            {
                session.ZeroGrad();
                session.Forward();
                session.Backward();
            },
            settings.Warmup,
            settings.Repeats);
        Measurement.Emit("elementwise_chain_200_1M_fwd_bwd", threads, times, "Session");
    }

    private static Session Open(ComputeGraph graph, int threads, Value[] roots) =>
        new(GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = roots }), new SessionOptions { Threads = threads });
}
