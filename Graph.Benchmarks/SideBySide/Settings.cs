namespace Graph.Benchmarks.SideBySide;

/// <summary>bench_torch.py's options: untimed runs, timed runs (the median is reported) and the sgemm sizes.</summary>
internal sealed record Settings(int Warmup, int Repeats, int[] Sizes);
