using Graph.Core;

namespace Graph.Serialization;

/// <summary>
/// Reads the <c>"memory"</c> map into a <see cref="MemoryPlan"/>, checking every number's range before it is
/// used. What the numbers mean together (offsets inside the arena, lifetimes covering every read, no two live
/// values sharing bytes) is <see cref="MemoryPlanVerifier"/>'s to check once the compiled graph is assembled.
/// </summary>
internal static class MemoryPlanReader
{
    private const int ArenaKey = 0;
    private const int LowerBoundKey = 1;
    private const int TimelineKey = 2;
    private const int TapeStartsKey = 3;
    private const int BuffersKey = 4;

    private static readonly string[] s_keys =
        [GraphKeys.ArenaBytes, GraphKeys.LiveLowerBoundBytes, GraphKeys.TimelineLength, GraphKeys.TapeStarts, GraphKeys.Buffers];

    /// <summary>Reads the plan of the tapes <paramref name="schedule"/> has read, which must start where <paramref name="timeline"/> says.</summary>
    /// <exception cref="GraphFormatException">A field is missing or out of range, a buffer holds a value no tape computes, or the sizes disagree.</exception>
    public static MemoryPlan Read(ref BoundedReader reader, ScheduleReader schedule, Timeline timeline)
    {
        var fields = new MapFields(ref reader, s_keys, "the memory plan");
        long arena = 0;
        long lowerBound = 0;
        int length = 0;
        int[] starts = [];
        var buffers = new List<BufferAssignment>();
        int key;
        while ((key = fields.Next(ref reader)) >= 0)
        {
            switch (key)
            {
                case ArenaKey:
                    arena = ReadSize(ref reader, GraphFormat.MaxArenaBytes, "the arena");
                    break;
                case LowerBoundKey:
                    lowerBound = ReadSize(ref reader, long.MaxValue, "the live lower bound");
                    break;
                case TimelineKey:
                    length = ReadCount(ref reader, "the timeline length");
                    break;
                case TapeStartsKey:
                    starts = new int[reader.ReadArrayHeader()];
                    for (int i = 0; i < starts.Length; i++)
                    {
                        starts[i] = reader.ReadInt32();
                    }

                    break;
                default:
                    int count = reader.ReadArrayHeader();
                    for (int i = 0; i < count; i++)
                    {
                        buffers.Add(ReadBuffer(ref reader, schedule, i));
                    }

                    break;
            }
        }

        fields.Require(ArenaKey, LowerBoundKey, TimelineKey, TapeStartsKey, BuffersKey);
        if (!starts.SequenceEqual(timeline.TapeStarts))
        {
            throw new GraphFormatException(fields.MapOffset, $"the tapes start at steps [{string.Join(", ", timeline.TapeStarts)}] but the plan records [{string.Join(", ", starts)}]");
        }

        long unplanned = 0;
        long alignedTotal = 0;
        foreach (BufferAssignment b in buffers)
        {
            if (b.Last >= length)
            {
                throw new GraphFormatException(fields.MapOffset, $"the buffer of '{b.Value.Name}' lives to step {b.Last}, past the {length}-step timeline");
            }

            unplanned += b.Bytes;
            alignedTotal += (b.Bytes + AlignedBuffer.Alignment - 1) / AlignedBuffer.Alignment * AlignedBuffer.Alignment;
        }

        // Even with every buffer in its own aligned slice the arena needs no more; the live bound counts every buffer once.
        if (arena > alignedTotal || lowerBound > unplanned)
        {
            throw new GraphFormatException(fields.MapOffset, $"the arena ({arena} B) or live lower bound ({lowerBound} B) exceeds what the {buffers.Count} buffers ({unplanned} B) could need");
        }

        return new MemoryPlan(buffers, arena, lowerBound, length, starts);
    }

    private static BufferAssignment ReadBuffer(ref BoundedReader reader, ScheduleReader schedule, int index)
    {
        long at = reader.AbsolutePosition;
        if (reader.ReadArrayHeader() != 6)
        {
            throw new GraphFormatException(at, $"buffer {index} is not [value, offset, bytes, first, last, storage]");
        }

        Value v = schedule.ReadValue(ref reader, $"buffer {index}");
        long offset = ReadSize(ref reader, GraphFormat.MaxArenaBytes, $"the offset of buffer {index}");
        long bytes = ReadSize(ref reader, GraphFormat.MaxTensorBytes, $"the size of buffer {index}");
        int first = ReadCount(ref reader, $"the first step of buffer {index}");
        int last = ReadCount(ref reader, $"the last step of buffer {index}");
        int storage = ReadCount(ref reader, $"the storage of buffer {index}");
        if (!schedule.IsComputed(v) || first > last)
        {
            throw new GraphFormatException(at, $"buffer {index} holds '{v.Name}', which no tape computes, or its life ends before it starts ({first}..{last})");
        }

        return new BufferAssignment(v, offset, bytes, first, last, storage);
    }

    private static long ReadSize(ref BoundedReader reader, long max, string what)
    {
        long at = reader.AbsolutePosition;
        long value = reader.ReadInt64();
        if (value < 0 || value > max)
        {
            throw new GraphFormatException(at, $"{what} is {value} bytes; it must be in [0, {max}]");
        }

        return value;
    }

    private static int ReadCount(ref BoundedReader reader, string what)
    {
        long at = reader.AbsolutePosition;
        int value = reader.ReadInt32();
        if (value < 0)
        {
            throw new GraphFormatException(at, $"{what} is {value}; it must not be negative");
        }

        return value;
    }
}
