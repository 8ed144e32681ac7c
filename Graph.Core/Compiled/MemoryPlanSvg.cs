using System.Globalization;
using System.Security;
using System.Text;

namespace Graph.Core;

/// <summary>
/// A memory plan as an SVG timeline: steps across, arena offsets down, one rectangle per planned buffer (with its
/// value, type, bytes and steps as a tooltip), the forward and backward tapes shaded apart and the live lower bound
/// drawn as a line. The shading and marks are polygons and lines, so the rectangles are exactly the buffers.
/// </summary>
internal static class MemoryPlanSvg
{
    private const double Width = 1200, Height = 640, Left = 90, Top = 40, Right = 20, Bottom = 40;

    public static string Write(MemoryPlan plan)
    {
        int steps = Math.Max(1, plan.TimelineLength);
        double arena = Math.Max(1, Math.Max(plan.ArenaBytes, plan.LiveLowerBoundBytes));
        double stepWidth = (Width - Left - Right) / steps;
        double byteHeight = (Height - Top - Bottom) / arena;
        double X(double step) => Left + (step * stepWidth);
        double Y(double offset) => Top + (offset * byteHeight);

        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">"));
        svg.AppendLine(Invariant($"  <title>memory plan: arena {plan.ArenaBytes:N0} B, live lower bound {plan.LiveLowerBoundBytes:N0} B, unplanned {plan.UnplannedBytes:N0} B</title>"));

        // One band per tape: the forward tape, then each backward plan's (with its accumulation step).
        for (int t = 0; t < plan.TapeStarts.Count; t++)
        {
            double start = plan.TapeStarts[t];
            double end = t + 1 < plan.TapeStarts.Count ? plan.TapeStarts[t + 1] : steps;
            string fill = t == 0 ? "#eef3fb" : "#fbf0ee";
            svg.AppendLine(Invariant($"  <polygon class=\"tape\" points=\"{X(start):F1},{Top:F1} {X(end):F1},{Top:F1} {X(end):F1},{Height - Bottom:F1} {X(start):F1},{Height - Bottom:F1}\" fill=\"{fill}\"/>"));
            svg.AppendLine(Invariant($"  <text x=\"{X(start) + 4:F1}\" y=\"{Top - 8:F1}\">{(t == 0 ? "forward" : $"backward {t}")}</text>"));
        }

        foreach (BufferAssignment b in plan.Buffers)
        {
            double height = Math.Max(1, b.Bytes * byteHeight);
            string tip = SecurityElement.Escape(Invariant($"{b.Value.Name}: {b.Value.Type}, {b.Bytes:N0} B at [{b.Offset:N0}, {b.Offset + b.Bytes:N0}), steps {b.First}..{b.Last}"));
            svg.AppendLine(Invariant($"  <rect class=\"buffer\" x=\"{X(b.First):F2}\" y=\"{Y(b.Offset):F2}\" width=\"{Math.Max(1, (b.Last - b.First + 1) * stepWidth):F2}\" height=\"{height:F2}\" fill=\"{Colour(b.Storage)}\" stroke=\"#34495e\" stroke-width=\"0.3\"><title>{tip}</title></rect>"));
        }

        double bound = Y(plan.LiveLowerBoundBytes);
        svg.AppendLine(Invariant($"  <line class=\"live-lower-bound\" x1=\"{Left:F1}\" y1=\"{bound:F2}\" x2=\"{Width - Right:F1}\" y2=\"{bound:F2}\" stroke=\"#c0392b\" stroke-dasharray=\"6 3\"/>"));
        svg.AppendLine(Invariant($"  <text x=\"{Width - Right:F1}\" y=\"{bound - 4:F2}\" text-anchor=\"end\" fill=\"#c0392b\">live lower bound {plan.LiveLowerBoundBytes:N0} B</text>"));
        svg.AppendLine(Invariant($"  <line x1=\"{Left:F1}\" y1=\"{Top:F1}\" x2=\"{Left:F1}\" y2=\"{Height - Bottom:F1}\" stroke=\"#2c3e50\"/>"));
        svg.AppendLine(Invariant($"  <text x=\"{Left - 6:F1}\" y=\"{Top + 4:F1}\" text-anchor=\"end\">0 B</text>"));
        svg.AppendLine(Invariant($"  <text x=\"{Left - 6:F1}\" y=\"{Y(plan.ArenaBytes):F1}\" text-anchor=\"end\">{plan.ArenaBytes:N0} B</text>"));
        svg.AppendLine(Invariant($"  <text x=\"{Left:F1}\" y=\"{Height - 12:F1}\">step 0</text>"));
        svg.AppendLine(Invariant($"  <text x=\"{Width - Right:F1}\" y=\"{Height - 12:F1}\" text-anchor=\"end\">step {steps - 1}</text>"));
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    // A storage's colour from its index: neighbours in the arena get distinct hues, and in-place chains share one.
    private static string Colour(int storage) => Invariant($"hsl({storage * 137 % 360}, 55%, 70%)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
