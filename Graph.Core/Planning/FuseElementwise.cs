
namespace Graph.Core.Planning;

/// <summary>
/// Finds runs of consecutive tape steps that can run tile by tile: elementwise ops (the in-place family) whose
/// operands all have the step's shape or are single elements, all over one shape. Fusion changes no value and
/// no order; it only lets the runtime keep a run's intermediates in cache.
/// </summary>
internal static class FuseElementwise
{
    /// <summary>Runs shorter than this gain nothing from tiling.</summary>
    private const int MinimumRun = 2;

    /// <summary>Outputs smaller than this fit in cache already.</summary>
    private const long MinimumElements = 8192;

    public static Tape Run(Tape tape)
    {
        var fusions = new List<FusedRange>();
        int start = 0;
        while (start < tape.Steps.Count)
        {
            int end = start;
            while (end < tape.Steps.Count && Tileable(tape.Steps[end], tape.Steps[start].Shape))
            {
                end++;
            }

            if (end - start >= MinimumRun)
            {
                fusions.Add(new FusedRange(start, end - start));
            }

            start = Math.Max(end, start + 1);
        }

        return new Tape(tape.Steps, fusions);
    }

    private static bool Tileable(Value step, Shape shape) => shape.ElementCount >= MinimumElements && FusedRange.CanTile(step, shape);
}
