// The TorchSharp peer of the side-by-side benchmarks: bench_torch.py's workloads, names, warm-up and median,
// through TorchSharp (LibTorch's C++ API under .NET). One JSON object a line on stdout, impl "torchsharp".
//
//   tools/torchsharp/run.sh {sgemm|mlp|resnet18|elementwise|transformer|all|info} [--threads 1,2] [--repeats 10] [--warmup 3] [--sizes 256,512,1024,2048]
//
// Run it through run.sh: the native library needs a patch and a preload shim on Debian 12 (see README.md).
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharpBench;

internal static class Program
{
    private static readonly Dictionary<string, Action<int, Settings>> s_benches = new()
    {
        ["elementwise"] = Elementwise,
        ["mlp"] = Mlp,
        ["resnet18"] = ResNet18,
        ["sgemm"] = Sgemm,
        ["transformer"] = Transformer,
    };

    private static int Main(string[] args)
    {
        if (!TryParse(args, out string bench, out int[] threads, out Settings settings, out string error))
        {
            Console.Error.WriteLine($"TorchSharpBench: {error}");
            Console.Error.WriteLine("usage: run.sh {sgemm|mlp|resnet18|elementwise|transformer|all|info} [--threads 1,2] [--repeats 10] [--warmup 3] [--sizes 256,512,1024,2048]");
            return 2;
        }

        // One inter-op thread, as the Python side has by default: the benchmarks measure intra-op parallelism only.
        torch.set_num_interop_threads(1);
        if (bench == "info")
        {
            Info();
            return 0;
        }

        double load = Load1() ?? 0;
        if (load > 0.5 * Environment.ProcessorCount)
        {
            Console.Error.WriteLine($"TorchSharpBench: warning: load average {load:F2} on {Environment.ProcessorCount} CPUs; timings will be noisy");
        }

        // Sorted as bench_torch.py sorts them, so all sides run in the same order.
        string[] names = bench == "all" ? [.. s_benches.Keys.Order(StringComparer.Ordinal)] : [bench];
        foreach (int t in threads)
        {
            torch.set_num_threads(t);
            if (torch.get_num_threads() != t)
            {
                Console.Error.WriteLine($"TorchSharpBench: torch.set_num_threads({t}) did not take");
                return 1;
            }

            foreach (string name in names)
            {
                s_benches[name](t, settings);
            }
        }

        return 0;
    }

    // (a) square SGEMM into a preallocated C. TorchSharp has no mm(out:); c.addmm_(a, b, beta: 0) is the same single
    // BLAS call with beta = 0 (c's old values are ignored), and allocates nothing, as torch.mm(a, b, out=c).
    private static void Sgemm(int threads, Settings settings)
    {
        foreach (int n in settings.Sizes)
        {
            torch.manual_seed(n);
            using Tensor a = torch.rand(n, n);
            using Tensor b = torch.rand(n, n);
            using Tensor c = torch.empty(n, n);
            int repeats = n < 2048 ? settings.Repeats : Math.Max(3, settings.Repeats / 2);
            double[] times = Time(() => c.addmm_(a, b, beta: 0, alpha: 1), settings.Warmup, repeats);
            Emit($"sgemm_{n}", threads, times, 2.0 * n * n * n);
        }
    }

    // (b) MLP 784-512-512-10 training step: zero_grad, forward, cross-entropy, backward, SGD(lr 0.01, momentum 0.9).
    private static void Mlp(int threads, Settings settings)
    {
        const int Batch = 64;
        torch.manual_seed(0);
        using var model = nn.Sequential(
            ("fc1", nn.Linear(784, 512)), ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(512, 512)), ("relu2", nn.ReLU()),
            ("fc3", nn.Linear(512, 10)));
        using var opt = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using Tensor x = torch.rand(Batch, 784);
        using Tensor y = torch.randint(0, 10, [Batch], ScalarType.Int64);

        double[] times = Time(
            () =>
            {
                using var scope = torch.NewDisposeScope();
                opt.zero_grad();
                Tensor loss = nn.functional.cross_entropy(model.forward(x), y);
                loss.backward();
                opt.step();
            },
            settings.Warmup,
            settings.Repeats);
        const double Macs = (784 * 512) + (512 * 512) + (512 * 10);
        Emit("mlp_784_512_512_10_train_step_b64", threads, times, 3 * 2.0 * Batch * Macs);
    }

    // (c) torchvision's ResNet-18 (1000 classes): training forward+backward of (prediction - labels).sum() at b1 and
    // b16 on 64x64, then eval forward under no_grad at b1 on 224x224 and b16 on 64x64.
    private static void ResNet18(int threads, Settings settings)
    {
        torch.manual_seed(0);
        using var model = torchvision.models.resnet18(num_classes: 1000);

        model.train();
        foreach ((int batch, int size) in new[] { (1, 64), (16, 64) })
        {
            (Tensor x, Tensor labels) = Data(batch, size);
            double[] times = Time(
                () =>
                {
                    using var scope = torch.NewDisposeScope();
                    model.zero_grad();
                    Tensor loss = (model.forward(x) - labels).sum();
                    loss.backward();
                },
                settings.Warmup,
                settings.Repeats);
            Emit($"resnet18_train_fwd_bwd_b{batch}_{size}x{size}", threads, times);
            x.Dispose();
            labels.Dispose();
        }

        model.eval();
        foreach ((int batch, int size) in new[] { (1, 224), (16, 64) })
        {
            (Tensor x, Tensor labels) = Data(batch, size);
            double[] times = Time(
                () =>
                {
                    using var scope = torch.NewDisposeScope();
                    using var noGrad = torch.no_grad();
                    model.forward(x);
                },
                settings.Warmup,
                settings.Repeats);
            Emit($"resnet18_eval_fwd_b{batch}_{size}x{size}", threads, times);
            x.Dispose();
            labels.Dispose();
        }

        static (Tensor X, Tensor Labels) Data(int batch, int size)
        {
            torch.manual_seed(0);
            return (torch.rand(batch, 3, size, size), torch.rand(batch, 1000));
        }
    }

    // (d) bench_torch.py's chain: 200 ops cycling y*w, y + x, tanh, sigmoid, then sum().backward(), on 1M and on
    // 1000 floats; then relu(x*2 + 1)*y on 16M floats under no_grad.
    private static void Elementwise(int threads, Settings settings)
    {
        Chain(threads, settings, 1 << 20, "elementwise_chain_200_1M_fwd_bwd");
        Chain(threads, settings, 1000, "elementwise_chain_200_1000_fwd_bwd");

        const int N = 1 << 24;
        torch.manual_seed(0);
        using Tensor x = (torch.rand(N) * 2) - 1;
        using Tensor y = torch.rand(N);
        double[] times = Time(
            () =>
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                _ = nn.functional.relu((x * 2) + 1) * y;
            },
            settings.Warmup,
            settings.Repeats);
        Emit("relu_affine_mul_16M_fwd", threads, times);
    }

    private static void Chain(int threads, Settings settings, int n, string name)
    {
        torch.manual_seed(0);
        using Tensor x = ((torch.rand(n) * 2) - 1).requires_grad_();
        using Tensor w = ((torch.rand(n) * 2) - 1).requires_grad_();
        Func<Tensor, Tensor>[] ops = [t => t * w, t => t + x, torch.tanh, torch.sigmoid];
        double[] times = Time(
            () =>
            {
                using var scope = torch.NewDisposeScope();
                x.grad?.zero_();
                w.grad?.zero_();
                Tensor t = x;
                for (int i = 0; i < 200; i++)
                {
                    t = ops[i % 4](t);
                }

                t.sum().backward();
            },
            settings.Warmup,
            settings.Repeats);
        Emit(name, threads, times);
    }

    // (e) transformer ops, forward + backward of a sum, batch 8, sequence 128, width 256, 4 heads of 64: layer norm,
    // attention (LibTorch 2.10's fused F.scaled_dot_product_attention) without and with the causal mask, and one
    // pre-norm GELU encoder layer.
    private const int Batch = 8, Length = 128, Width = 256, Heads = 4;

    private static void Transformer(int threads, Settings settings)
    {
        torch.manual_seed(0);
        using Tensor x = torch.rand(Batch, Length, Width).requires_grad_();
        using Tensor w = torch.rand(Width).requires_grad_();
        using Tensor b = torch.rand(Width).requires_grad_();
        FwdBwd(threads, settings, $"layernorm_{Batch}x{Length}x{Width}_fwd_bwd", [x, w, b], () => nn.functional.layer_norm(x, [Width], w, b));

        foreach (bool causal in new[] { false, true })
        {
            torch.manual_seed(0);
            using Tensor q = torch.rand(Batch, Heads, Length, Width / Heads).requires_grad_();
            using Tensor k = torch.rand(Batch, Heads, Length, Width / Heads).requires_grad_();
            using Tensor v = torch.rand(Batch, Heads, Length, Width / Heads).requires_grad_();
            string name = $"{(causal ? "causal_attention" : "attention")}_{Batch}x{Length}x{Width}_h{Heads}_fwd_bwd";
            FwdBwd(threads, settings, name, [q, k, v], () => nn.functional.scaled_dot_product_attention(q, k, v, is_casual: causal));
        }

        TransformerLayer(threads, settings);
    }

    // LibTorch's C++ TransformerEncoderLayer (which TorchSharp wraps) has neither norm_first nor batch_first, so the
    // pre-norm layer is written out from TorchSharp's modules as torch.nn.TransformerEncoderLayer(256, 4, 1024,
    // dropout=0, activation="gelu", batch_first=True, norm_first=True) computes it:
    // x += out_proj(attention(in_proj(norm1(x)))); x += linear2(gelu(linear1(norm2(x)))).
    private static void TransformerLayer(int threads, Settings settings)
    {
        const int HeadWidth = Width / Heads;
        torch.manual_seed(0);
        using var inProj = nn.Linear(Width, 3 * Width);
        using var outProj = nn.Linear(Width, Width);
        using var linear1 = nn.Linear(Width, 4 * Width);
        using var linear2 = nn.Linear(4 * Width, Width);
        using var norm1 = nn.LayerNorm(Width);
        using var norm2 = nn.LayerNorm(Width);
        Tensor[] parameters = [.. new nn.Module[] { inProj, outProj, linear1, linear2, norm1, norm2 }.SelectMany(m => m.parameters())];
        using Tensor x = torch.rand(Batch, Length, Width);

        Tensor SplitHeads(Tensor t) => t.view(Batch, Length, Heads, HeadWidth).transpose(1, 2);
        Tensor Layer()
        {
            Tensor[] qkv = inProj.forward(norm1.forward(x)).chunk(3, -1);
            Tensor attended = nn.functional.scaled_dot_product_attention(SplitHeads(qkv[0]), SplitHeads(qkv[1]), SplitHeads(qkv[2]));
            Tensor h = x + outProj.forward(attended.transpose(1, 2).reshape(Batch, Length, Width));
            return h + linear2.forward(nn.functional.gelu(linear1.forward(norm2.forward(h))));
        }

        FwdBwd(threads, settings, $"transformer_layer_{Batch}x{Length}x{Width}_h{Heads}_fwd_bwd", parameters, Layer);
    }

    // Zeroes the leaves' gradients, then forward and the backward of the output's sum.
    private static void FwdBwd(int threads, Settings settings, string name, Tensor[] leaves, Func<Tensor> forward)
    {
        double[] times = Time(
            () =>
            {
                using var scope = torch.NewDisposeScope();
                foreach (Tensor leaf in leaves)
                {
                    leaf.grad?.zero_();
                }

                forward().sum().backward();
            },
            settings.Warmup,
            settings.Repeats);
        Emit(name, threads, times);
    }

    // The least time warm-up runs take, as Graph's side (Graph.Benchmarks/SideBySide/Measurement.cs) and bench_torch.py.
    private const double WarmupSeconds = 1.0;

    private static double[] Time(Action step, int warmup, int repeats)
    {
        // At least `warmup` runs and at least WarmupSeconds: .NET compiles hot code again, optimized, after its first
        // calls (tiered compilation), so a few runs alone would time code the JIT has not finished with.
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmup || (warmup > 0 && Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < WarmupSeconds); i++)
        {
            step();
        }

        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            step();
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        return times;
    }

    private static void Emit(string name, int threads, double[] times, double? flops = null)
    {
        double[] sorted = [.. times];
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        var rec = new JsonObject
        {
            ["name"] = name,
            ["seconds"] = median,
            ["threads"] = threads,
            ["impl"] = "torchsharp",
            ["repeats"] = times.Length,
            ["min_seconds"] = sorted[0],
            ["max_seconds"] = sorted[^1],
            ["load1"] = Load1(),
        };
        if (flops is double f)
        {
            rec["flops"] = f;
            rec["gflops"] = f / median / 1e9;
        }

        Print(rec);
    }

    private static void Info()
    {
        // A small double GEMM loads the BLAS LibTorch uses, so the maps below show it (LibTorch's own MKL or OpenBLAS, if any).
        using (Tensor a = torch.rand(8, 8, ScalarType.Float64))
        {
            using Tensor p = a.mm(a);
        }

        string[] maps = File.Exists("/proc/self/maps") ? File.ReadAllLines("/proc/self/maps") : [];
        var libs = new JsonArray();
        foreach (string lib in maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty)
                     .Where(p => p.Contains("libtorch_cpu", StringComparison.Ordinal) || p.Contains("blas", StringComparison.Ordinal) || p.Contains("mkl", StringComparison.Ordinal) || p.Contains("gomp", StringComparison.Ordinal))
                     .Distinct()
                     .Order(StringComparer.Ordinal))
        {
            libs.Add(lib);
        }

        var rec = new JsonObject
        {
            ["name"] = "info",
            ["impl"] = "torchsharp",
            ["torchsharp"] = Version(typeof(torch).Assembly),
            ["torchvision"] = Version(typeof(torchvision).Assembly),
            ["libtorch"] = torch.__version__,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["native_libraries"] = libs,
            ["mkl"] = MklVersion(maps),
            ["mkl_intel_cpu_true_override"] = maps.Any(l => l.Contains("libmkl_intel_cpu_true.so", StringComparison.Ordinal)),
            ["default_threads"] = torch.get_num_threads(),
            ["interop_threads"] = torch.get_num_interop_threads(),
            ["cpu_count"] = Environment.ProcessorCount,
            ["load1"] = Load1(),
        };
        Print(rec);
    }

    // LibTorch links oneMKL statically into libtorch_cpu.so and exports its MKL_Get_Version_String(char*, int).
    private static unsafe string? MklVersion(string[] maps)
    {
        string? torchCpu = maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
            .FirstOrDefault(p => p is not null && p.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal));
        if (torchCpu is null || !NativeLibrary.TryLoad(torchCpu, out IntPtr handle))
        {
            return null;
        }

        if (!NativeLibrary.TryGetExport(handle, "MKL_Get_Version_String", out IntPtr fn))
        {
            return null;
        }

        byte* buffer = stackalloc byte[256];
        ((delegate* unmanaged<byte*, int, void>)fn)(buffer, 256);
        buffer[255] = 0;
        return Marshal.PtrToStringUTF8((IntPtr)buffer)?.Trim();
    }

    private static string Version(Assembly assembly)
    {
        string? v = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return (v ?? assembly.GetName().Version?.ToString() ?? "?").Split('+')[0];
    }

    private static double? Load1()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ')), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Print(JsonObject rec)
    {
        Console.Out.WriteLine(rec.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Console.Out.Flush();
    }

    private static bool TryParse(string[] args, out string bench, out int[] threads, out Settings settings, out string error)
    {
        bench = string.Empty;
        threads = [1];
        settings = new Settings(Warmup: 3, Repeats: 10, Sizes: [256, 512, 1024, 2048]);
        error = string.Empty;
        if (args.Length == 0 || !(s_benches.ContainsKey(args[0]) || args[0] is "all" or "info"))
        {
            error = args.Length == 0 ? "name a benchmark" : $"unknown benchmark '{args[0]}'";
            return false;
        }

        bench = args[0];
        for (int i = 1; i < args.Length; i += 2)
        {
            if (i + 1 == args.Length)
            {
                error = $"{args[i]} needs a value";
                return false;
            }

            int[]? values = ParseList(args[i + 1]);
            if (values is null || values.Length == 0)
            {
                error = $"{args[i]}: '{args[i + 1]}' is not a comma-separated list of integers";
                return false;
            }

            switch (args[i])
            {
                case "--threads" when values.All(v => v >= 1):
                    threads = values;
                    break;
                case "--repeats" when values is [>= 1]:
                    settings = settings with { Repeats = values[0] };
                    break;
                case "--warmup" when values is [>= 0]:
                    settings = settings with { Warmup = values[0] };
                    break;
                case "--sizes" when values.All(v => v >= 1):
                    settings = settings with { Sizes = values };
                    break;
                default:
                    error = $"bad option or value: {args[i]} {args[i + 1]} (threads and sizes >= 1, repeats >= 1, warmup >= 0)";
                    return false;
            }
        }

        return true;
    }

    private static int[]? ParseList(string text)
    {
        var values = new List<int>();
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                return null;
            }

            values.Add(value);
        }

        return [.. values];
    }

    private sealed record Settings(int Warmup, int Repeats, int[] Sizes);
}
