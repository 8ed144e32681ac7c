namespace Graph.Runtime.Kernels;

/// <summary>
/// A fused run of elementwise steps, executed tile by tile: all steps on the first <see cref="TileElements"/>
/// elements, then all on the next, so each intermediate tile is still in cache when the next step reads it.
/// One virtual call per step per tile; the element loops stay TensorPrimitives'. A long run is split into fixed
/// parts of <see cref="FixedParts.Elements"/> elements (whole tiles) for the session's threads.
/// </summary>
internal sealed class FusedKernel : Kernel, IRangeKernel
{
    /// <summary>Elements per tile: 16 KB of float32, so a run's live tiles stay within L1 and L2.</summary>
    public const int TileElements = 4096;

    private readonly IRangeKernel[] _steps;
    private readonly int _length;
    private readonly Execution.WorkerTeam _team;

    public FusedKernel(Kernel[] steps, Execution.WorkerTeam team)
        : base(steps[^1].Node)
    {
        _team = team;
        _steps = steps.Cast<IRangeKernel>().ToArray();
        _length = (int)steps[0].Node.Shape.ElementCount;
    }

    public override void Run() => FixedParts.RunRange(_team, this, _length);

    /// <summary>Every step on each tile of [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) in turn.</summary>
    public void RunRange(int start, int count)
    {
        for (int end = start + count; start < end; start += TileElements)
        {
            int tile = Math.Min(TileElements, end - start);
            foreach (IRangeKernel step in _steps)
            {
                step.RunRange(start, tile);
            }
        }
    }
}
