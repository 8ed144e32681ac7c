namespace Graph.Serialization;

/// <summary>The map keys of the <c>.graph</c> format, shared by the writer and the reader (docs/graph-format.md).</summary>
internal static class GraphKeys
{
    // The envelope.
    public const string Format = "format";
    public const string Version = "version";
    public const string Content = "content";
    public const string Crc32C = "crc32c";

    // The body.
    public const string Values = "values";
    public const string Outputs = "outputs";
    public const string RetainGrad = "retain_grad";
    public const string Forward = "forward";
    public const string ForwardFusions = "forward_fusions";
    public const string Backward = "backward";
    public const string Memory = "memory";
    public const string Session = "session";

    // A value.
    public const string Id = "id";
    public const string Name = "name";
    public const string Kind = "kind";
    public const string DType = "dtype";
    public const string Shape = "shape";
    public const string RequiresGrad = "requires_grad";
    public const string Op = "op";
    public const string Inputs = "inputs";
    public const string Attributes = "attributes";
    public const string Data = "data";

    // A value's source location (format 1.3, optional): "Model.cs:42" or "backward of mul at Model.cs:42".
    public const string Source = "source";

    // A backward plan.
    public const string Root = "root";
    public const string Seed = "seed";
    public const string Tape = "tape";
    public const string Accumulations = "accumulations";

    // A tape's fused ranges (format 1.1): [[start, count], ...].
    public const string Fusions = "fusions";

    // The memory plan.
    public const string ArenaBytes = "arena_bytes";
    public const string LiveLowerBoundBytes = "live_lower_bound_bytes";
    public const string TimelineLength = "timeline_length";
    public const string TapeStarts = "tape_starts";
    public const string Buffers = "buffers";

    // The session.
    public const string Optimizer = "optimizer";
    public const string Slots = "slots";
    public const string Steps = "steps";

    // The session's run state (format 1.2): {"forward_passes": long}.
    public const string Run = "run";
    public const string ForwardPasses = "forward_passes";
}
