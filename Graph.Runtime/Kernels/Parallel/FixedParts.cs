using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The fixed partitions memory-bound kernels split their work into: a part is a constant amount of work, never a
/// share of the thread count, so what each part computes (and the order partial results are combined in) is the
/// same for every team size — the determinism rule in ARCHITECTURE.md.
/// </summary>
internal static class FixedParts
{
    /// <summary>
    /// Elements per part of a streaming kernel: 64K (256 KB of float32), enough that waking a worker (a few
    /// microseconds) is small beside the part's own memory traffic, so a tensor of one part never leaves its thread.
    /// </summary>
    public const int Elements = 64 * 1024;

    /// <summary>Bytes per part of a kernel that moves bytes whatever their dtype (copies): <see cref="Elements"/> float32s.</summary>
    public const int Bytes = Elements * sizeof(float);

    /// <summary>How many parts of <paramref name="perPart"/> items cover <paramref name="items"/> items (at least one).</summary>
    public static int Count(long items, long perPart) => (int)Math.Max(1, (items + perPart - 1) / perPart);

    /// <summary>
    /// How many items (rows, channels, planes) of about <paramref name="itemElements"/> elements of work each make one
    /// part: whole items of about <see cref="Elements"/> elements in all.
    /// </summary>
    public static int ItemsPerPart(long itemElements) => (int)Math.Max(1, Elements / Math.Max(1, itemElements));

    /// <summary>
    /// Runs <paramref name="kernel"/> over [0, <paramref name="length"/>) in parts of <see cref="Elements"/>, on
    /// <paramref name="team"/> when there is more than one part, inline otherwise (a small tensor costs one call).
    /// </summary>
    public static void RunRange(WorkerTeam team, IRangeKernel kernel, int length)
    {
        if (length <= Elements)
        {
            kernel.RunRange(0, length);
        }
        else
        {
            team.For(Count(length, Elements), new RangeBody(kernel, length));
        }
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> over its <paramref name="items"/> items in parts of <paramref name="itemsPerPart"/>
    /// (from <see cref="ItemsPerPart"/>, a function of the shape alone), on <paramref name="team"/> when there is more
    /// than one part, inline otherwise.
    /// </summary>
    public static void RunItems(WorkerTeam team, IItemKernel kernel, int items, int itemsPerPart)
    {
        if (items <= itemsPerPart)
        {
            kernel.RunItems(0, items);
        }
        else
        {
            team.For(Count(items, itemsPerPart), new ItemsBody(kernel, items, itemsPerPart));
        }
    }

    /// <summary>The elements of part <paramref name="part"/> of <paramref name="length"/>: its start and count.</summary>
    public static (int Start, int Count) Range(int part, int length)
    {
        int start = part * Elements;
        return (start, Math.Min(Elements, length - start));
    }

    private readonly struct RangeBody(IRangeKernel kernel, int length) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            (int start, int count) = Range(part, length);
            kernel.RunRange(start, count);
        }
    }

    private readonly struct ItemsBody(IItemKernel kernel, int items, int itemsPerPart) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            int first = part * itemsPerPart;
            kernel.RunItems(first, Math.Min(itemsPerPart, items - first));
        }
    }
}
