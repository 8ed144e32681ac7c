using System.Globalization;
using System.Text;

namespace Graph.Runtime;

/// <summary>
/// Where a session's time went, per tape unit (a kernel, or a fused run of elementwise steps), since the session was
/// created or <see cref="Session.ResetProfile"/> was called. Recorded only with <see cref="SessionOptions.Profile"/>:
/// two clock reads per unit, nothing allocated.
/// </summary>
public sealed class SessionProfile
{
    internal SessionProfile(IReadOnlyList<ProfileEntry> entries)
    {
        Entries = entries;
        Total = TimeSpan.FromTicks(entries.Sum(e => e.Time.Ticks));
    }

    /// <summary>One entry per tape unit and one per tape's gradient accumulations, in tape order.</summary>
    public IReadOnlyList<ProfileEntry> Entries { get; }

    /// <summary>The time of every entry together.</summary>
    public TimeSpan Total { get; }

    /// <summary>The time per op, largest first: op, steps, calls, total and share.</summary>
    public IReadOnlyList<(string Op, int Steps, long Calls, TimeSpan Time)> ByOp() =>
        Entries.GroupBy(e => e.Op)
            .Select(g => (g.Key, g.Sum(e => e.Steps), g.Sum(e => e.Calls), TimeSpan.FromTicks(g.Sum(e => e.Time.Ticks))))
            .OrderByDescending(g => g.Item4)
            .ToArray();

    /// <summary>A table of the time per op, then the <paramref name="slowest"/> slowest units.</summary>
    public string ToString(int slowest)
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        double total = Math.Max(Total.TotalMilliseconds, double.Epsilon);
        text.AppendLine(c, $"{"op",-32} {"steps",6} {"calls",8} {"total ms",10} {"share",7}");
        foreach ((string op, int steps, long calls, TimeSpan time) in ByOp())
        {
            text.AppendLine(c, $"{op,-32} {steps,6} {calls,8} {time.TotalMilliseconds,10:F1} {time.TotalMilliseconds / total,7:P1}");
        }

        text.AppendLine(c, $"{"total",-32} {Entries.Sum(e => e.Steps),6} {"",8} {total,10:F1}");
        if (slowest > 0)
        {
            text.AppendLine();
            text.AppendLine(c, $"{"slowest units",-56} {"tape",-10} {"ms per call",12}");
            foreach (ProfileEntry e in Entries.Where(e => e.Calls > 0).OrderByDescending(e => e.Time).Take(slowest))
            {
                text.AppendLine(c, $"{e.Op + " " + e.Node,-56} {e.Tape,-10} {e.Time.TotalMilliseconds / e.Calls,12:F3}");
            }
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToString(10);
}

/// <summary>The time one tape unit took over its calls.</summary>
/// <param name="Tape">"forward", or "backward" and the root's name.</param>
/// <param name="Op">The op of the unit; "fused" for a fused elementwise run, "accumulate" for a tape's gradient accumulations.</param>
/// <param name="Node">The value the unit computes (a fused run's last), or the tape's name for accumulations.</param>
/// <param name="Steps">Tape steps in the unit.</param>
/// <param name="Calls">Times the unit ran.</param>
/// <param name="Time">Its wall time over those calls.</param>
public sealed record ProfileEntry(string Tape, string Op, string Node, int Steps, long Calls, TimeSpan Time);
