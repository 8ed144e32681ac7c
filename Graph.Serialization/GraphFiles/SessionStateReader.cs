using Graph.Core;

namespace Graph.Serialization;

/// <summary>
/// Reads the <c>"session"</c> map of a saved session: <c>{"run": {"forward_passes": n}, "optimizer": {"slots":
/// [[parameter, slot, bin]...], "steps": [[parameter, step]...]}}</c> (<c>"run"</c> since format 1.2). Parameters are named; each must be a parameter that requires a
/// gradient, and each slot holds exactly the parameter's bytes.
/// </summary>
internal static class SessionStateReader
{
    private const int OptimizerKey = 0;
    private const int RunKey = 1;
    private const int SlotsKey = 0;
    private const int StepsKey = 1;

    private static readonly string[] s_sessionKeys = [GraphKeys.Optimizer, GraphKeys.Run];
    private static readonly string[] s_runKeys = [GraphKeys.ForwardPasses];
    private static readonly string[] s_optimizerKeys = [GraphKeys.Slots, GraphKeys.Steps];

    /// <summary>Reads the session map of a file whose graph is <paramref name="graph"/>.</summary>
    /// <exception cref="GraphFormatException">An entry is malformed, names no trainable parameter, repeats, or has the wrong size.</exception>
    public static SessionState Read(ref BoundedReader reader, ComputeGraph graph)
    {
        var slots = new List<SavedSlot>();
        var steps = new List<(Value, long)>();
        long forwardPasses = 0; // files before 1.2 have no run state: their sessions resume at pass 0, as they did
        var session = new MapFields(ref reader, s_sessionKeys, "the session");
        int sessionKey;
        while ((sessionKey = session.Next(ref reader)) >= 0)
        {
            if (sessionKey == RunKey)
            {
                forwardPasses = ReadRun(ref reader);
                continue;
            }

            var optimizer = new MapFields(ref reader, s_optimizerKeys, "the optimizer state");
            int key;
            while ((key = optimizer.Next(ref reader)) >= 0)
            {
                if (key == SlotsKey)
                {
                    ReadSlots(ref reader, graph, slots);
                }
                else
                {
                    ReadSteps(ref reader, graph, steps);
                }
            }

            optimizer.Require(SlotsKey, StepsKey);
        }

        return new SessionState(slots, steps, forwardPasses);
    }

    /// <summary>The run map: how many forward passes the session had completed.</summary>
    private static long ReadRun(ref BoundedReader reader)
    {
        var run = new MapFields(ref reader, s_runKeys, "the session's run state");
        long forwardPasses = 0;
        while (run.Next(ref reader) >= 0)
        {
            long at = reader.AbsolutePosition;
            forwardPasses = reader.ReadInt64();
            if (forwardPasses < 0)
            {
                throw new GraphFormatException(at, $"the forward-pass count {forwardPasses} is negative");
            }
        }

        run.Require(0);
        return forwardPasses;
    }

    private static void ReadSlots(ref BoundedReader reader, ComputeGraph graph, List<SavedSlot> slots)
    {
        var seen = new HashSet<(int, string)>();
        int count = reader.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            long at = reader.AbsolutePosition;
            if (reader.ReadArrayHeader() != 3)
            {
                throw new GraphFormatException(at, $"optimizer slot {i} is not [parameter, slot, data]");
            }

            Value parameter = ReadParameter(ref reader, graph, $"optimizer slot {i}");
            long slotOffset = reader.AbsolutePosition;
            string slot = reader.ReadString();
            if (slot.Length == 0 || !seen.Add((parameter.Id, slot)))
            {
                throw new GraphFormatException(slotOffset, $"optimizer slot {i} of '{parameter.Name}' has an empty or repeated name '{slot}'");
            }

            ReadOnlySpan<byte> data = reader.ReadBinary();
            long dataOffset = reader.AbsolutePosition - data.Length;
            slots.Add(new SavedSlot(parameter, slot, TensorData.Read(data, parameter.Type, dataOffset, $"optimizer slot '{slot}' of '{parameter.Name}'")));
        }
    }

    private static void ReadSteps(ref BoundedReader reader, ComputeGraph graph, List<(Value, long)> steps)
    {
        var seen = new HashSet<int>();
        int count = reader.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            long at = reader.AbsolutePosition;
            if (reader.ReadArrayHeader() != 2)
            {
                throw new GraphFormatException(at, $"optimizer step {i} is not [parameter, step]");
            }

            Value parameter = ReadParameter(ref reader, graph, $"optimizer step {i}");
            long stepOffset = reader.AbsolutePosition;
            long step = reader.ReadInt64();
            if (step < 0 || !seen.Add(parameter.Id))
            {
                throw new GraphFormatException(stepOffset, $"the step count {step} of '{parameter.Name}' is negative or repeated");
            }

            if (step > GraphFormat.MaxOptimizerStep)
            {
                throw new GraphFormatException(stepOffset, $"the step count {step} of '{parameter.Name}' is above the {GraphFormat.MaxOptimizerStep} a file may hold");
            }

            steps.Add((parameter, step));
        }
    }

    private static Value ReadParameter(ref BoundedReader reader, ComputeGraph graph, string what)
    {
        long at = reader.AbsolutePosition;
        string name = reader.ReadString();
        if (!graph.TryFind(name, out Value? parameter) || parameter!.Kind != ValueKind.Parameter || !parameter.RequiresGrad)
        {
            throw new GraphFormatException(at, $"{what} names '{name}', which is not a parameter that requires a gradient");
        }

        return parameter;
    }
}
