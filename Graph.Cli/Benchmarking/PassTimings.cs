using System.Diagnostics;
using System.Globalization;

namespace Graph.Cli.Benchmarking;

/// <summary>
/// The timed repeats of one pass (the forward pass, or the backward pass of one root): wall times, and the bytes
/// the calling thread allocated (<see cref="GC.GetAllocatedBytesForCurrentThread"/>; the session's worker threads
/// are not counted).
/// </summary>
internal sealed class PassTimings(string pass)
{
    private readonly List<long> _ticks = [];
    private long _allocated;

    /// <summary>The pass's name: <c>forward</c>, <c>backward of loss</c>.</summary>
    public string Pass { get; } = pass;

    /// <summary>The repeats timed.</summary>
    public int Count => _ticks.Count;

    /// <summary>The median time, in seconds (the mean of the middle two for an even count).</summary>
    public double MedianSeconds
    {
        get
        {
            long[] sorted = [.. _ticks.Order()];
            int middle = sorted.Length / 2;
            double ticks = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
            return ticks / Stopwatch.Frequency;
        }
    }

    /// <summary>The fastest repeat, in seconds.</summary>
    public double MinSeconds => (double)_ticks.Min() / Stopwatch.Frequency;

    /// <summary>The slowest repeat, in seconds.</summary>
    public double MaxSeconds => (double)_ticks.Max() / Stopwatch.Frequency;

    /// <summary>The bytes the calling thread allocated per repeat, on average.</summary>
    public double AllocatedBytesPerStep => (double)_allocated / _ticks.Count;

    /// <summary>Runs <paramref name="pass"/> once, timed.</summary>
    public void Measure(Action pass)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        pass();
        long end = Stopwatch.GetTimestamp();
        _allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
        _ticks.Add(end - start);
    }

    /// <summary><paramref name="seconds"/> in the unit that suits it: <c>812.4 µs</c>, <c>12.31 ms</c>, <c>1.204 s</c>.</summary>
    public static string Format(double seconds) => seconds switch
    {
        < 1e-3 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F1} µs"),
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:F2} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds:F3} s"),
    };
}
