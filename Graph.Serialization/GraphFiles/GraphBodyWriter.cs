using System.Buffers;
using Graph.Core;
using Graph.Runtime;
using MessagePack;

namespace Graph.Serialization;

/// <summary>
/// Writes the body of a <c>.graph</c> file: the values, the tapes, the memory plan and, for a session, its
/// run state and optimizer state. Everything is in a fixed order (ids, plan order, sorted slots), so equal graphs give
/// equal bytes.
/// </summary>
internal static class GraphBodyWriter
{
    /// <summary>The body of <paramref name="graph"/>; with <paramref name="session"/>, its current parameters and optimizer state.</summary>
    public static byte[] Write(CompiledGraph graph, Session? session)
    {
        var output = new ArrayBufferWriter<byte>();
        Write(output, graph, session);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes the body of <paramref name="graph"/> (and <paramref name="session"/>'s state) to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, CompiledGraph graph, Session? session)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(session is null ? 7 : 8);

        writer.WriteString(GraphKeys.Values);
        writer.WriteArrayHeader(graph.Graph.Values.Count);
        foreach (Value v in graph.Graph.Values)
        {
            WriteValue(ref writer, v, session);
        }

        WriteIds(ref writer, GraphKeys.Outputs, graph.Outputs);
        WriteIds(ref writer, GraphKeys.RetainGrad, graph.RetainGrad);
        WriteIds(ref writer, GraphKeys.Forward, graph.Forward.Steps);
        WriteFusions(ref writer, GraphKeys.ForwardFusions, graph.Forward.Fusions);

        writer.WriteString(GraphKeys.Backward);
        writer.WriteArrayHeader(graph.Backward.Count);
        foreach (BackwardPlan plan in graph.Backward)
        {
            WriteBackward(ref writer, plan);
        }

        writer.WriteString(GraphKeys.Memory);
        WriteMemory(ref writer, graph.Memory);

        if (session is not null)
        {
            writer.WriteString(GraphKeys.Session);
            WriteSession(ref writer, graph, session);
        }

        writer.Flush(); // the package's writer commits to output only when its span fills or it is flushed
    }

    private static void WriteValue(ref MessagePackWriter writer, Value v, Session? session)
    {
        Tensor? data = v.Kind switch
        {
            ValueKind.Parameter => session?.ParameterValue(v) ?? v.Data,
            ValueKind.Constant => v.Data,
            _ => null,
        };
        int fields = 6 + (v.Op is null ? 0 : 3) + (data is null ? 0 : 1) + (v.Source is null ? 0 : 1);
        writer.WriteMapHeader(fields);
        writer.WriteString(GraphKeys.Id);
        writer.Write(v.Id);
        writer.WriteString(GraphKeys.Name);
        writer.WriteString(v.Name);
        writer.WriteString(GraphKeys.Kind);
        writer.WriteString(GraphFormat.KindName(v.Kind));
        writer.WriteString(GraphKeys.DType);
        writer.WriteString(GraphFormat.DTypeName(v.DType));
        writer.WriteString(GraphKeys.Shape);
        writer.WriteArrayHeader(v.Shape.Rank);
        foreach (int d in v.Shape.Dims)
        {
            writer.Write(d);
        }

        writer.WriteString(GraphKeys.RequiresGrad);
        writer.Write(v.RequiresGrad);
        if (v.Op is not null)
        {
            writer.WriteString(GraphKeys.Op);
            writer.WriteString(v.Op.Name);
            WriteIds(ref writer, GraphKeys.Inputs, v.Inputs);
            writer.WriteString(GraphKeys.Attributes);
            AttributeCodec.Write(ref writer, v.Attributes);
        }

        if (data is not null)
        {
            writer.WriteString(GraphKeys.Data);
            writer.WriteBinary(data.Bytes);
        }

        if (v.Source is not null)
        {
            writer.WriteString(GraphKeys.Source);
            writer.WriteString(v.Source);
        }
    }

    private static void WriteFusions(ref MessagePackWriter writer, string key, IReadOnlyList<FusedRange> fusions)
    {
        writer.WriteString(key);
        writer.WriteArrayHeader(fusions.Count);
        foreach (FusedRange f in fusions)
        {
            writer.WriteArrayHeader(2);
            writer.Write(f.Start);
            writer.Write(f.Count);
        }
    }

    private static void WriteBackward(ref MessagePackWriter writer, BackwardPlan plan)
    {
        writer.WriteMapHeader(5);
        writer.WriteString(GraphKeys.Root);
        writer.Write(plan.Root.Id);
        writer.WriteString(GraphKeys.Seed);
        writer.Write(plan.Seed.Id);
        WriteIds(ref writer, GraphKeys.Tape, plan.Tape.Steps);
        WriteFusions(ref writer, GraphKeys.Fusions, plan.Tape.Fusions);
        writer.WriteString(GraphKeys.Accumulations);
        writer.WriteArrayHeader(plan.Accumulations.Count);
        foreach (GradientAccumulation a in plan.Accumulations)
        {
            writer.WriteArrayHeader(2);
            writer.Write(a.Target.Id);
            writer.Write(a.Gradient.Id);
        }
    }

    private static void WriteMemory(ref MessagePackWriter writer, MemoryPlan memory)
    {
        writer.WriteMapHeader(5);
        writer.WriteString(GraphKeys.ArenaBytes);
        writer.Write(memory.ArenaBytes);
        writer.WriteString(GraphKeys.LiveLowerBoundBytes);
        writer.Write(memory.LiveLowerBoundBytes);
        writer.WriteString(GraphKeys.TimelineLength);
        writer.Write(memory.TimelineLength);
        writer.WriteString(GraphKeys.TapeStarts);
        writer.WriteArrayHeader(memory.TapeStarts.Count);
        foreach (int start in memory.TapeStarts)
        {
            writer.Write(start);
        }

        writer.WriteString(GraphKeys.Buffers);
        writer.WriteArrayHeader(memory.Buffers.Count);
        foreach (BufferAssignment b in memory.Buffers)
        {
            writer.WriteArrayHeader(6);
            writer.Write(b.Value.Id);
            writer.Write(b.Offset);
            writer.Write(b.Bytes);
            writer.Write(b.First);
            writer.Write(b.Last);
            writer.Write(b.Storage);
        }
    }

    private static void WriteSession(ref MessagePackWriter writer, CompiledGraph graph, Session session)
    {
        IReadOnlyList<Value> values = graph.Graph.Values;
        var slots = session.OptimizerState.Slots
            .OrderBy(s => s.Key.Parameter)
            .ThenBy(s => s.Key.Slot, StringComparer.Ordinal)
            .ToArray();
        var steps = session.OptimizerState.Steps.OrderBy(s => s.Key).ToArray();

        writer.WriteMapHeader(2);
        writer.WriteString(GraphKeys.Run);
        writer.WriteMapHeader(1);
        writer.WriteString(GraphKeys.ForwardPasses);
        writer.Write(session.ForwardPasses);
        writer.WriteString(GraphKeys.Optimizer);
        writer.WriteMapHeader(2);
        writer.WriteString(GraphKeys.Slots);
        writer.WriteArrayHeader(slots.Length);
        foreach (((int parameter, string slot), Tensor value) in slots)
        {
            writer.WriteArrayHeader(3);
            writer.WriteString(values[parameter].Name);
            writer.WriteString(slot);
            writer.WriteBinary(value.Bytes);
        }

        writer.WriteString(GraphKeys.Steps);
        writer.WriteArrayHeader(steps.Length);
        foreach ((int parameter, long step) in steps)
        {
            writer.WriteArrayHeader(2);
            writer.WriteString(values[parameter].Name);
            writer.Write(step);
        }
    }

    private static void WriteIds(ref MessagePackWriter writer, string key, IReadOnlyList<Value> values)
    {
        writer.WriteString(key);
        writer.WriteArrayHeader(values.Count);
        foreach (Value v in values)
        {
            writer.Write(v.Id);
        }
    }
}
