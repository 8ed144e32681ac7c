using Graph.Core;

namespace Graph.Cli.Training;

/// <summary>
/// minGPT's sorting demo, made in memory: a sequence is <see cref="Length"/> digits from 0 to
/// <see cref="Digits"/> − 1 followed by the same digits sorted, and a model that reads the first part must write the
/// second. All 3⁶ = 729 inputs exist; a fixed fifth of them (chosen by a seeded shuffle independent of the run's
/// seed) is held out and never trained on, so the test accuracy is on inputs the model has not seen.
/// </summary>
internal sealed class SortTask
{
    /// <summary>Digits per input.</summary>
    public const int Length = 6;

    /// <summary>The vocabulary: the digits 0, 1 and 2.</summary>
    public const int Digits = 3;

    /// <summary>The model reads the input and every answer digit but the last: 11 tokens.</summary>
    public const int ContextLength = (2 * Length) - 1;

    /// <summary>The seed of the train/test split: fixed, so every run is scored on the same held-out inputs.</summary>
    public const int SplitSeed = 0;

    private SortTask(int[][] train, int[][] test) => (Train, Test) = (train, test);

    /// <summary>The training inputs (unsorted digits).</summary>
    public IReadOnlyList<int[]> Train { get; }

    /// <summary>The held-out inputs.</summary>
    public IReadOnlyList<int[]> Test { get; }

    /// <summary>Every input, split 584 / 145.</summary>
    public static SortTask Create()
    {
        int count = (int)Math.Pow(Digits, Length);
        int[][] all = new int[count][];
        for (int n = 0; n < count; n++)
        {
            all[n] = new int[Length];
            for (int i = 0, rest = n; i < Length; i++, rest /= Digits)
            {
                all[n][i] = rest % Digits;
            }
        }

        int[] order = Data.Indices.Range(count);
        Data.Indices.Shuffle(order, new SeededRandom(SplitSeed));
        int testCount = count / 5;
        return new SortTask(order[testCount..].Select(i => all[i]).ToArray(), order[..testCount].Select(i => all[i]).ToArray());
    }

    /// <summary>
    /// Writes example <paramref name="input"/> into row <paramref name="row"/> of <paramref name="tokens"/> [batch, 11]
    /// (the input and the first five sorted digits) and of <paramref name="targets"/> [batch, 6] (the sorted digits: what
    /// positions 5 to 10 must predict).
    /// </summary>
    public static void Write(int[] input, int row, Span<long> tokens, Span<long> targets)
    {
        int[] sorted = [.. input.Order()];
        for (int i = 0; i < Length; i++)
        {
            tokens[(row * ContextLength) + i] = input[i];
            targets[(row * Length) + i] = sorted[i];
            if (i < Length - 1)
            {
                tokens[(row * ContextLength) + Length + i] = sorted[i];
            }
        }
    }
}
