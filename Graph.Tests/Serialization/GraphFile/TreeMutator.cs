namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>
/// Seeded mutations of a decoded file body that keep it well-formed MessagePack: a number, string or flag
/// changed to a plausible wrong one, an array or map entry dropped, repeated or swapped. They get past the
/// framing and reach the checks of ids, ops, shapes, tapes and the memory plan.
/// </summary>
internal static class TreeMutator
{
    private static readonly long[] s_numbers = [0, 1, 2, 3, -1, -2, 7, 8, 63, 64, 65, 9, 255, 256, 4096, int.MaxValue, int.MinValue, 1L << 31, 1L << 40, long.MaxValue, long.MinValue];

    private static readonly string[] s_strings =
    [
        "", "a", "b", "Q", "x", "parameter", "input", "constant", "operation", "gradient_seed", "float32", "float64", "int64", "bool",
        "mul", "add", "pow", "sum", "matmul", "reshape", "transpose", "relu", "nll_loss", "concat", "int", "long", "double", "ints", "dtype",
        "exponent", "axes", "shape", "momentum_buffer", "exp_avg", "values", "memory", "buffers", "tape", "seed", "root", "data",
    ];

    /// <summary>A mutated copy of <paramref name="content"/> (decoded), one to three changes deep.</summary>
    public static DocMap Mutate(DocMap content, Random random)
    {
        var copy = (DocMap)Clone(content)!;
        int mutations = 1 + random.Next(3);
        for (int i = 0; i < mutations; i++)
        {
            List<(object Container, int Index)> slots = [];
            Collect(copy, slots);
            (object container, int index) = slots[random.Next(slots.Count)];
            MutateAt(container, index, random);
        }

        return copy;
    }

    /// <summary>A copy of <paramref name="content"/> (decoded) with one op node of its values mutated one to three changes deep.</summary>
    public static DocMap MutateOneNode(DocMap content, Random random)
    {
        var copy = (DocMap)Clone(content)!;
        List<object?> values = copy.Array("values");
        int[] nodes = Enumerable.Range(0, values.Count).Where(i => values[i] is DocMap v && v.Any(e => Equals(e.Key, "op"))).ToArray();
        int index = nodes[random.Next(nodes.Length)];
        values[index] = Mutate((DocMap)values[index]!, random);
        return copy;
    }

    private static void MutateAt(object container, int index, Random random)
    {
        if (container is DocMap map)
        {
            KeyValuePair<object?, object?> entry = map[index];
            switch (random.Next(4))
            {
                case 0:
                    map.RemoveAt(index);
                    break;
                case 1:
                    map.Add(entry);
                    break;
                default:
                    map[index] = new(entry.Key, Change(entry.Value, random));
                    break;
            }

            return;
        }

        var list = (List<object?>)container;
        switch (random.Next(5))
        {
            case 0:
                list.RemoveAt(index);
                break;
            case 1:
                list.Insert(index, Clone(list[index]));
                break;
            case 2:
                int other = random.Next(list.Count);
                (list[index], list[other]) = (list[other], list[index]);
                break;
            default:
                list[index] = Change(list[index], random);
                break;
        }
    }

    private static object? Change(object? value, Random random) => value switch
    {
        long l => random.Next(3) == 0 ? l + random.Next(-2, 3) : s_numbers[random.Next(s_numbers.Length)],
        string => s_strings[random.Next(s_strings.Length)],
        bool b => !b,
        double d => random.Next(2) == 0 ? -d : double.NaN,
        byte[] bytes => random.Next(2) == 0 ? bytes[..(bytes.Length / 2)] : [.. bytes, .. bytes],
        List<object?> list when list.Count > 0 => random.Next(2) == 0 ? new List<object?>() : list[random.Next(list.Count)],
        DocMap => s_numbers[random.Next(s_numbers.Length)],
        _ => s_strings[random.Next(s_strings.Length)],
    };

    // Every place a mutation can happen: each map entry and each list element, at every depth.
    private static void Collect(object? node, List<(object, int)> slots)
    {
        switch (node)
        {
            case DocMap map:
                for (int i = 0; i < map.Count; i++)
                {
                    slots.Add((map, i));
                    Collect(map[i].Value, slots);
                }

                break;
            case List<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    slots.Add((list, i));
                    Collect(list[i], slots);
                }

                break;
        }
    }

    private static object? Clone(object? node) => node switch
    {
        DocMap map => Copy(map),
        List<object?> list => list.Select(Clone).ToList(),
        _ => node,
    };

    private static DocMap Copy(DocMap map)
    {
        var copy = new DocMap();
        copy.AddRange(map.Select(e => new KeyValuePair<object?, object?>(e.Key, Clone(e.Value))));
        return copy;
    }
}
