using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Graph.Benchmarks.SideBySide;

/// <summary>
/// Times a step as tools/pytorch/bench_torch.py does (untimed warm-up runs, then each timed run on its own, median
/// reported) and prints the result in that script's JSON-line format, so the two sides match by name.
/// </summary>
internal static class Measurement
{
    // Plain ASCII out ("Session + Sgd", not "Session \u002B Sgd"): the lines are read by scripts and people, never embedded in HTML.
    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The least time warm-up runs take (when any are asked for), on every side of the comparison alike.</summary>
    public const double WarmupSeconds = 1.0;

    /// <summary>
    /// Runs <paramref name="step"/> untimed <paramref name="warmup"/> times and for at least <see cref="WarmupSeconds"/>,
    /// then calls <paramref name="afterWarmup"/> (if given) and returns <paramref name="repeats"/> timings in seconds.
    /// </summary>
    public static double[] Time(Action step, int warmup, int repeats, Action? afterWarmup = null)
    {
        // At least `warmup` runs and at least WarmupSeconds: .NET compiles hot code again, optimized, after its first
        // calls (tiered compilation), so a few runs alone would time code the JIT has not finished with.
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmup || (warmup > 0 && Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < WarmupSeconds); i++)
        {
            step();
        }

        afterWarmup?.Invoke();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            step();
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        return times;
    }

    /// <summary>Prints one line: name, median seconds, threads, and the same informative fields as the PyTorch side.</summary>
    /// <param name="via">What the Graph side ran, for a reader who wonders whether it is the whole framework or a kernel.</param>
    public static void Emit(string name, int threads, double[] times, string via, double? flops = null)
    {
        double median = Median(times);
        Line(w =>
        {
            w.WriteString("name", name);
            w.WriteNumber("seconds", median);
            w.WriteNumber("threads", threads);
            w.WriteString("impl", "graph");
            w.WriteNumber("repeats", times.Length);
            w.WriteNumber("min_seconds", times.Min());
            w.WriteNumber("max_seconds", times.Max());
            WriteLoad(w);
            if (flops is double f)
            {
                w.WriteNumber("flops", f);
                w.WriteNumber("gflops", f / median / 1e9);
            }

            w.WriteString("via", via);
        });
    }

    /// <summary>Prints the configuration line, the counterpart of <c>bench_torch.py info</c>.</summary>
    public static void EmitInfo(string gemmPath)
    {
        Line(w =>
        {
            w.WriteString("name", "info");
            w.WriteString("impl", "graph");
            w.WriteString("runtime", RuntimeInformation.FrameworkDescription);
            w.WriteString("gemm_kernel", gemmPath);
            w.WriteNumber("cpu_count", Environment.ProcessorCount);
            w.WriteBoolean("server_gc", System.Runtime.GCSettings.IsServerGC);
            WriteLoad(w);
        });
    }

    /// <summary>The 1-minute load average, or null where /proc/loadavg does not exist.</summary>
    public static double? Load1()
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

    private static double Median(double[] times)
    {
        double[] sorted = [.. times];
        Array.Sort(sorted);
        int mid = sorted.Length / 2;

        // statistics.median: the mean of the middle two for an even count.
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static void WriteLoad(Utf8JsonWriter w)
    {
        if (Load1() is double load)
        {
            w.WriteNumber("load1", load);
        }
        else
        {
            w.WriteNull("load1");
        }
    }

    private static void Line(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, s_json))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        Console.Out.Flush();
    }
}
