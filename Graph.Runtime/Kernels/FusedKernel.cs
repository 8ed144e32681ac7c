namespace Graph.Runtime.Kernels;

/// <summary>
/// A fused run of elementwise steps, executed tile by tile: all steps on the first <see cref="TileElements"/>
/// elements, then all on the next, so each intermediate tile is still in cache when the next step reads it.
/// One virtual call per step per tile; the element loops stay TensorPrimitives'.
/// </summary>
internal sealed class FusedKernel : Kernel
{
    /// <summary>Elements per tile: 16 KB of float32, so a run's live tiles stay within L1 and L2.</summary>
    public const int TileElements = 4096;

    private readonly IRangeKernel[] _steps;
    private readonly int _length;

    public FusedKernel(Kernel[] steps)
        : base(steps[^1].Node)
    {
        _steps = steps.Cast<IRangeKernel>().ToArray();
        _length = (int)steps[0].Node.Shape.ElementCount;
    }

    public override void Run()
    {
        for (int start = 0; start < _length; start += TileElements)
        {
            int count = Math.Min(TileElements, _length - start);
            foreach (IRangeKernel step in _steps)
            {
                step.RunRange(start, count);
            }
        }
    }
}
