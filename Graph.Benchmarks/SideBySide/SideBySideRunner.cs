using System.Globalization;
using Graph.Runtime.Kernels;

namespace Graph.Benchmarks.SideBySide;

/// <summary>
/// The Graph side of the side-by-side benchmarks, with bench_torch.py's command line:
/// <c>sidebyside {sgemm|mlp|resnet18|elementwise|transformer|all|info} [--threads 1,2] [--repeats 10] [--warmup 3] [--sizes 256,512,1024,2048]</c>.
/// tools/bench/side_by_side.sh runs it, bench_torch.py and the TorchSharp peer (tools/torchsharp) and prints the ratios.
/// </summary>
internal static class SideBySideRunner
{
    private static readonly Dictionary<string, Action<int, Settings>> s_benches = new()
    {
        ["elementwise"] = Workloads.Elementwise,
        ["mlp"] = Workloads.Mlp,
        ["resnet18"] = Workloads.ResNet18,
        ["sgemm"] = Workloads.Sgemm,
        ["transformer"] = Workloads.Transformer,
    };

    /// <summary>Runs the benchmarks <paramref name="args"/> name (the arguments after <c>sidebyside</c>); returns the exit code.</summary>
    public static int Run(string[] args)
    {
        if (!TryParse(args, out string bench, out int[] threads, out Settings settings, out string error))
        {
            Console.Error.WriteLine($"sidebyside: {error}");
            Console.Error.WriteLine("usage: sidebyside {sgemm|mlp|resnet18|elementwise|transformer|all|info} [--threads 1,2] [--repeats 10] [--warmup 3] [--sizes 256,512,1024,2048]");
            return 2;
        }

        if (bench == "info")
        {
            Measurement.EmitInfo(GemmWorkspace.BestPath.ToString());
            return 0;
        }

        // Sorted as bench_torch.py sorts them, so both sides run in the same order.
        string[] names = bench == "all" ? [.. s_benches.Keys.Order(StringComparer.Ordinal)] : [bench];
        foreach (int t in threads)
        {
            foreach (string name in names)
            {
                s_benches[name](t, settings);
            }
        }

        return 0;
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
}
