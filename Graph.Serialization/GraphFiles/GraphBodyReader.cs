using Graph.Core;

namespace Graph.Serialization;

/// <summary>
/// Reads the body of a <c>.graph</c> file into a compiled graph. The body's sections may come in any order, so
/// their positions are found first; they are then read in the order their checks need (values, the forward
/// tape, outputs, retained values, backward plans, the memory plan, the session), and the assembled graph's
/// memory plan is verified against its tapes.
/// </summary>
internal static class GraphBodyReader
{
    private const int ValuesKey = 0;
    private const int OutputsKey = 1;
    private const int RetainGradKey = 2;
    private const int ForwardKey = 3;
    private const int BackwardKey = 4;
    private const int MemoryKey = 5;
    private const int SessionKey = 6;
    private const int ForwardFusionsKey = 7;

    private static readonly string[] s_keys =
    [
        GraphKeys.Values, GraphKeys.Outputs, GraphKeys.RetainGrad, GraphKeys.Forward, GraphKeys.Backward, GraphKeys.Memory, GraphKeys.Session,
        GraphKeys.ForwardFusions,
    ];

    /// <summary>Reads <paramref name="content"/>, which starts at <paramref name="baseOffset"/> in the file.</summary>
    /// <exception cref="GraphFormatException">Anything is malformed or inconsistent.</exception>
    public static GraphFileContents Read(ReadOnlyMemory<byte> content, long baseOffset, Version version)
    {
        var reader = new BoundedReader(content, baseOffset);
        var fields = new MapFields(ref reader, s_keys, "the content");
        Span<int> starts = stackalloc int[s_keys.Length];
        int key;
        while ((key = fields.Next(ref reader)) >= 0)
        {
            starts[key] = reader.Position;
            reader.Skip();
        }

        if (!reader.End)
        {
            throw new GraphFormatException(reader.AbsolutePosition, $"{reader.Remaining} bytes follow the content's map");
        }

        fields.Require(ValuesKey, OutputsKey, RetainGradKey, ForwardKey, BackwardKey, MemoryKey);

        reader = Section(content, baseOffset, starts[ValuesKey]);
        ComputeGraph graph = ValuesReader.Read(ref reader);
        var schedule = new ScheduleReader(graph);

        reader = Section(content, baseOffset, starts[ForwardKey]);
        Tape forward = schedule.ReadForward(ref reader);
        if (fields.Has(ForwardFusionsKey))
        {
            reader = Section(content, baseOffset, starts[ForwardFusionsKey]);
            forward = ScheduleReader.WithFusions(forward, ScheduleReader.ReadFusions(ref reader, "the forward fusions"), "the forward fusions");
        }
        reader = Section(content, baseOffset, starts[OutputsKey]);
        Value[] outputs = schedule.ReadReadable(ref reader, "the outputs", retained: false);
        reader = Section(content, baseOffset, starts[RetainGradKey]);
        Value[] retainGrad = schedule.ReadReadable(ref reader, "the retained values", retained: true);

        reader = Section(content, baseOffset, starts[BackwardKey]);
        var backward = new BackwardPlan[reader.ReadArrayHeader()];
        for (int i = 0; i < backward.Length; i++)
        {
            backward[i] = schedule.ReadBackward(ref reader, i, retainGrad);
        }

        long memoryOffset = baseOffset + starts[MemoryKey];
        reader = Section(content, baseOffset, starts[MemoryKey]);
        MemoryPlan memory = MemoryPlanReader.Read(ref reader, schedule, new Timeline(forward, backward));
        var compiled = new CompiledGraph(graph, outputs, retainGrad, forward, backward, memory);
        if (MemoryPlanVerifier.FindDefect(compiled) is string defect)
        {
            throw new GraphFormatException(memoryOffset, $"the memory plan is unsound: {defect}");
        }

        long sessionBytes = SessionFootprint.Bytes(compiled);
        if (sessionBytes > GraphFormat.MaxSessionBytes)
        {
            throw new GraphFormatException(memoryOffset, $"a session of this graph would allocate {sessionBytes} bytes (arena, inputs, gradient seeds, gradients and convolution scratch) beyond the {content.Length} the file stores, more than the {GraphFormat.MaxSessionBytes} a file may ask for");
        }

        SessionState? session = null;
        if (fields.Has(SessionKey))
        {
            reader = Section(content, baseOffset, starts[SessionKey]);
            session = SessionStateReader.Read(ref reader, graph);
        }

        return new GraphFileContents(version, compiled, session);
    }

    // Each section was skipped once already, so its extent is known to be well-formed.
    private static BoundedReader Section(ReadOnlyMemory<byte> content, long baseOffset, int start) =>
        new(content[start..], baseOffset + start);
}
