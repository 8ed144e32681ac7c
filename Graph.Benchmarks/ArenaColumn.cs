using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Graph.Benchmarks;

/// <summary>
/// The Arena column of <see cref="RematerializationBenchmarks"/>: the arena bytes of the plan each budget compiles to,
/// so the step time of a budget reads next to the memory it buys. The summary runs in the host process, which did
/// not run the benchmark, so the column compiles each budget's graph again (once per budget).
/// </summary>
internal sealed class ArenaColumn : IColumn
{
    private readonly ConcurrentDictionary<int, long> _arenaBytes = new();

    public string Id => nameof(ArenaColumn);

    public string ColumnName => "Arena";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Size;

    public string Legend => "The arena of the budget's memory plan (MemoryPlan.ArenaBytes), in MiB";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        int percent = (int)benchmarkCase.Parameters[nameof(RematerializationBenchmarks.BudgetPercent)]!;
        long bytes = _arenaBytes.GetOrAdd(percent, p => RematerializationBenchmarks.Compile(p).Compiled.Memory.ArenaBytes);
        return (bytes / (1024.0 * 1024.0)).ToString("N1", CultureInfo.InvariantCulture) + " MiB";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
