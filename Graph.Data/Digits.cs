using Graph.Core;

namespace Graph.Data;

/// <summary>
/// The UCI "Optical Recognition of Handwritten Digits" set as scikit-learn ships it: 1797 grey 8 × 8 images of the
/// digits 0–9, pixel values 0–16 (here scaled to [0, 1]). It is embedded in this assembly, so it always loads.
/// Source: E. Alpaydin and C. Kaynak, UCI Machine Learning Repository, CC BY 4.0.
/// </summary>
public static class Digits
{
    /// <summary>The number of examples.</summary>
    public const int Count = 1797;

    /// <summary>The number of classes (the digits 0–9).</summary>
    public const int Classes = 10;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 8;

    /// <summary>Image width in pixels.</summary>
    public const int Width = 8;

    /// <summary>The largest raw pixel value; pixels are divided by it.</summary>
    public const int MaxPixelValue = 16;

    /// <summary>Every example in the original order: images <c>[1797, 1, 8, 8]</c>, labels <c>[1797]</c>.</summary>
    public static Dataset LoadAll() => DigitsCsv.LoadEmbedded();

    /// <summary>
    /// A seeded, stratified train/test split: each digit's examples are shuffled by a generator seeded with
    /// <paramref name="seed"/>, and round(<paramref name="testFraction"/> × that digit's count) of them go to the
    /// test set, so both sets keep the class balance. Each set keeps the original file order. The same seed gives
    /// the same split on every machine (0.2 gives 1438 training and 359 test examples).
    /// </summary>
    /// <param name="seed">Chooses the split.</param>
    /// <param name="testFraction">The share of each class held out for testing, strictly between 0 and 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not strictly between 0 and 1.</exception>
    public static (Dataset Train, Dataset Test) Load(int seed = 0, double testFraction = 0.2)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be strictly between 0 and 1.");
        }

        Dataset all = LoadAll();
        ReadOnlySpan<long> labels = all.Labels.AsSpan<long>();
        var random = new SeededRandom(seed);
        var train = new List<int>(all.Count);
        var test = new List<int>(all.Count);
        for (int digit = 0; digit < Classes; digit++)
        {
            var members = new List<int>();
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] == digit)
                {
                    members.Add(i);
                }
            }

            int[] shuffled = members.ToArray();
            Indices.Shuffle(shuffled, random);
            int testCount = (int)Math.Round(testFraction * shuffled.Length, MidpointRounding.AwayFromZero);
            test.AddRange(shuffled.AsSpan(0, testCount));
            train.AddRange(shuffled.AsSpan(testCount));
        }

        train.Sort();
        test.Sort();
        return (all.Subset(train.ToArray()), all.Subset(test.ToArray()));
    }
}
