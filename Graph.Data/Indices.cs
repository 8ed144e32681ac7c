using Graph.Core;

namespace Graph.Data;

/// <summary>Index arrays for choosing and ordering examples.</summary>
public static class Indices
{
    /// <summary>The indices 0, 1, ..., <paramref name="count"/> − 1.</summary>
    public static int[] Range(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        return indices;
    }

    /// <summary>
    /// Shuffles <paramref name="indices"/> in place (Fisher–Yates) with <paramref name="random"/>, so an epoch's
    /// order is fixed by the seed on every machine and allocates nothing.
    /// </summary>
    public static void Shuffle(Span<int> indices, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = indices.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
    }
}
