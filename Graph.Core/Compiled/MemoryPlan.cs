using System.Globalization;
using System.Text;

namespace Graph.Core;

/// <summary>
/// Where every intermediate lives. The timeline is the forward tape, then each backward tape followed by one step for
/// its accumulations; each intermediate owns a slice of one arena for its lifetime, and slices are reused once their values die.
/// Leaves (inputs, parameters, constants, seeds) and gradients are persistent and not in the arena.
/// </summary>
public sealed class MemoryPlan
{
    internal MemoryPlan(IReadOnlyList<BufferAssignment> buffers, long arenaBytes, long liveLowerBoundBytes, int timelineLength, IReadOnlyList<int> tapeStarts)
    {
        Buffers = buffers;
        ArenaBytes = arenaBytes;
        LiveLowerBoundBytes = liveLowerBoundBytes;
        UnplannedBytes = buffers.Sum(b => b.Bytes);
        TimelineLength = timelineLength;
        TapeStarts = tapeStarts;
    }

    /// <summary>
    /// The plan of a dynamic graph: the timeline of its tapes with no buffers, since each concrete size gets its own
    /// plan in the session.
    /// </summary>
    internal static MemoryPlan Deferred(Tape forward, IReadOnlyList<BackwardPlan> backward)
    {
        var timeline = new Timeline(forward, backward);
        return new MemoryPlan([], 0, 0, timeline.Length, timeline.TapeStarts);
    }

    /// <summary>The bytes the plan allocates for intermediates: the arena's size.</summary>
    public long ArenaBytes { get; }

    /// <summary>The most bytes of intermediates alive at one step of the timeline: no plan can use less.</summary>
    public long LiveLowerBoundBytes { get; }

    /// <summary>The bytes needed if every intermediate had its own buffer.</summary>
    public long UnplannedBytes { get; }

    /// <summary>Every intermediate's slice and lifetime.</summary>
    public IReadOnlyList<BufferAssignment> Buffers { get; }

    /// <summary>The number of steps in the timeline (forward tape, then each backward tape and its accumulation step).</summary>
    public int TimelineLength { get; }

    /// <summary>The timeline step at which each tape starts: the forward tape first, then each backward plan's.</summary>
    public IReadOnlyList<int> TapeStarts { get; }

    /// <summary>A readable timeline: which value holds which bytes over which steps.</summary>
    public string Timeline()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"arena {ArenaBytes:N0} B, live lower bound {LiveLowerBoundBytes:N0} B, unplanned {UnplannedBytes:N0} B");
        foreach (BufferAssignment b in Buffers.OrderBy(b => b.First).ThenBy(b => b.Offset))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  [{b.Offset,10:N0}, {b.Offset + b.Bytes,10:N0})  steps {b.First,4}..{b.Last,-4}  {b.Value.Name}: {b.Value.Type}");
        }

        return text.ToString();
    }

    /// <summary>
    /// The plan as an SVG timeline: steps across, arena offsets down, one rectangle per buffer, the tapes shaded
    /// apart and the live lower bound marked.
    /// </summary>
    public string ToSvg() => MemoryPlanSvg.Write(this);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"MemoryPlan(arena {ArenaBytes:N0} B, live lower bound {LiveLowerBoundBytes:N0} B, unplanned {UnplannedBytes:N0} B)");
}
