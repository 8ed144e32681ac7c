using Graph.Core;

namespace Graph.Runtime.Execution;

/// <summary>
/// For each step of the <see cref="Timeline"/>, the arena ranges whose storage dies at that step, to fill with NaN
/// right after it (<see cref="SessionOptions.PoisonDeadBuffers"/>). A storage dies at the last step any of its values
/// is read, or at the end of the fused range that step runs in; storages read after the step (outputs, values a
/// second backward pass reads) are never poisoned.
/// </summary>
internal sealed class DeadBufferPoison
{
    private readonly AlignedBuffer _arena;
    private readonly (int Offset, int Bytes)[][] _byStep;

    /// <summary>The poisoning of <paramref name="plan"/>'s storages in <paramref name="arena"/>, over <paramref name="timeline"/>'s steps.</summary>
    public DeadBufferPoison(MemoryPlan plan, Timeline timeline, AlignedBuffer arena)
    {
        _arena = arena;
        _byStep = new (int, int)[timeline.Length][];
        var dying = plan.Buffers
            .GroupBy(b => b.Storage)
            .Select(s => (Last: timeline.SpanEnd(s.Max(b => b.Last)), Offset: (int)s.First().Offset, Bytes: (int)s.Max(b => b.Bytes)))
            .Where(s => s.Last < timeline.End)
            .ToLookup(s => s.Last, s => (s.Offset, s.Bytes));
        for (int step = 0; step < _byStep.Length; step++)
        {
            _byStep[step] = dying[step].ToArray();
        }
    }

    /// <summary>Poisons what dies at timeline step <paramref name="step"/>.</summary>
    public void AfterStep(int step)
    {
        foreach ((int offset, int bytes) in _byStep[step])
        {
            _arena.Slice(offset, bytes).Fill(0xFF);
        }
    }
}
