using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Graph.Runtime.Kernels;

namespace Graph.Benchmarks;

/// <summary>
/// Single-precision GEMM on the shapes models produce: squares, the MLP's products at batch 64 (forward and the two
/// backward forms) and ResNet-18's convolutions in im2col form (W·col, Wᵀ·dY, dY·colᵀ at batch 16), at 1 and 2
/// threads. Allocated must read 0 B. <c>dotnet run -c Release --project Graph.Benchmarks -- gemm</c> prints a quick
/// GFLOP/s table (median of 20 Stopwatch runs per shape) instead.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private GemmParallel _gemm = null!;
    private float[] _a = null!;
    private float[] _b = null!;
    private float[] _c = null!;
    private GemmShape _shape;

    /// <summary>
    /// The shapes, by name (see <see cref="GemmShape.All"/>); the environment variable <c>GRAPH_BENCH_GEMM_SHAPES</c>,
    /// names separated by '|', keeps only those (BenchmarkDotNet's --filter selects classes and methods, not parameters).
    /// </summary>
    public static IEnumerable<string> ShapeNames =>
        Environment.GetEnvironmentVariable("GRAPH_BENCH_GEMM_SHAPES") is { Length: > 0 } only
            ? only.Split('|').Where(name => GemmShape.All.Any(s => s.Name == name))
            : GemmShape.All.Select(s => s.Name);

    /// <summary>Which shape.</summary>
    [ParamsSource(nameof(ShapeNames))]
    public string Shape { get; set; } = "";

    /// <summary>Threads per product.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shape = GemmShape.All.Single(s => s.Name == Shape);
        (_a, _b, _c) = _shape.Allocate();
        _gemm = new GemmParallel(Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _gemm.Dispose();

    [Benchmark]
    public void Multiply() => _shape.Run(_gemm, _a, _b, _c);

    /// <summary>
    /// Prints GFLOP/s per shape at 1 and 2 threads: the median and the best of 20 timed runs after 3 warm-up runs
    /// (on a shared machine the best run is the one least disturbed by other work).
    /// </summary>
    public static int Quick(string[] args)
    {
        string filter = args.Length > 0 ? args[0] : "";
        Console.WriteLine($"{"GFLOP/s",-28} {"1T median",10} {"1T best",10} {"2T median",10} {"2T best",10}");
        using GemmParallel one = new(1);
        using GemmParallel two = new(2);
        foreach (GemmShape shape in GemmShape.All.Where(s => s.Name.Contains(filter, StringComparison.Ordinal)))
        {
            (float[] a, float[] b, float[] c) = shape.Allocate();
            (double median1, double best1) = Measure(shape, one, a, b, c);
            (double median2, double best2) = Measure(shape, two, a, b, c);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"{shape.Name,-28} {median1,10:F1} {best1,10:F1} {median2,10:F1} {best2,10:F1}"));
        }

        return 0;
    }

    private static (double Median, double Best) Measure(GemmShape shape, GemmParallel gemm, float[] a, float[] b, float[] c)
    {
        const int Runs = 20;
        for (int i = 0; i < 3; i++)
        {
            shape.Run(gemm, a, b, c);
        }

        double[] seconds = new double[Runs];
        for (int i = 0; i < Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            shape.Run(gemm, a, b, c);
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(seconds);
        double flops = 2.0 * shape.M * shape.N * shape.K;
        return (flops / seconds[Runs / 2] / 1e9, flops / seconds[0] / 1e9);
    }
}

/// <summary>One benchmarked product: C (m × n) = op(A) · op(B) with op(A) m × k and op(B) k × n, densely stored.</summary>
internal readonly record struct GemmShape(string Name, int M, int N, int K, bool TransA, bool TransB)
{
    /// <summary>Every benchmarked shape.</summary>
    public static readonly GemmShape[] All = Build();

    /// <summary>A, B and C filled with values in [-1, 1).</summary>
    public (float[] A, float[] B, float[] C) Allocate()
    {
        Random random = new(42);
        float[] a = new float[(long)M * K];
        float[] b = new float[(long)K * N];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (random.NextSingle() * 2) - 1;
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (random.NextSingle() * 2) - 1;
        }

        return (a, b, new float[(long)M * N]);
    }

    /// <summary>C = op(A) · op(B).</summary>
    public void Run(GemmParallel gemm, float[] a, float[] b, float[] c) =>
        gemm.Multiply(TransA, TransB, M, N, K, 1f, a, TransA ? M : K, b, TransB ? K : N, 0f, c, N);

    private static GemmShape[] Build()
    {
        List<GemmShape> shapes = [];
        foreach (int size in new[] { 256, 512, 1024, 2048 })
        {
            shapes.Add(new GemmShape($"square {size}", size, size, size, false, false));
        }

        // The MLP 784-512-512-10 at batch 64: forward products, then the weight gradient (Aᵀ·B) and input gradient (A·Bᵀ).
        shapes.Add(new GemmShape("mlp 64x512x784", 64, 512, 784, false, false));
        shapes.Add(new GemmShape("mlp 64x512x512", 64, 512, 512, false, false));
        shapes.Add(new GemmShape("mlp 64x10x512", 64, 10, 512, false, false));
        shapes.Add(new GemmShape("mlp 512x784x64 TN", 512, 784, 64, true, false));
        shapes.Add(new GemmShape("mlp 64x784x512 NT", 64, 784, 512, false, true));

        // ResNet-18 3×3 convolutions at batch 16 in im2col form: out channels × (batch · out pixels) × (in channels · 9).
        foreach ((int channels, int pixels) in new[] { (64, 32 * 32), (128, 16 * 16), (256, 8 * 8), (512, 4 * 4), (512, 2 * 2) })
        {
            int m = channels, n = 16 * pixels, k = channels * 9;
            shapes.Add(new GemmShape($"conv W.col {m}x{n}x{k}", m, n, k, false, false));
            shapes.Add(new GemmShape($"conv Wt.dY {k}x{n}x{m}", k, n, m, true, false));
            shapes.Add(new GemmShape($"conv dY.colt {m}x{k}x{n}", m, k, n, false, true));
        }

        // Layer 4 at batch 1 on 64×64: C is four columns wide (the narrow path).
        shapes.Add(new GemmShape("conv b1 W.col 512x4x4608", 512, 4, 4608, false, false));
        shapes.Add(new GemmShape("conv b1 Wt.dY 4608x4x512", 4608, 4, 512, true, false));
        shapes.Add(new GemmShape("conv b1 dY.colt 512x4608x4", 512, 4608, 4, false, true));
        return [.. shapes];
    }
}
