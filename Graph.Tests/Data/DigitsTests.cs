using Graph.Core;
using Graph.Data;

namespace Graph.Tests.Data;

[TestClass]
public sealed class DigitsTests
{
    [TestMethod]
    public void AllExamplesLoadWithTheirShapeAndRanges()
    {
        Dataset all = Digits.LoadAll();

        Assert.AreEqual(1797, all.Count);
        Assert.AreEqual(10, all.Classes);
        Assert.AreEqual(new Shape(1797, 1, 8, 8), all.Images.Shape);
        Assert.AreEqual(64, all.ImageSize);
        Assert.AreEqual(new Shape(1797), all.Labels.Shape);
        Assert.AreEqual(DType.Int64, all.Labels.DType);

        float[] pixels = all.Images.ToArray<float>();
        Assert.AreEqual(0f, pixels.Min());
        Assert.AreEqual(1f, pixels.Max());

        // Every value is a raw 0-16 count divided by 16.
        Assert.IsTrue(pixels.All(p => p * 16 == MathF.Round(p * 16)));

        long[] labels = all.Labels.ToArray<long>();
        for (int digit = 0; digit < 10; digit++)
        {
            Assert.IsGreaterThan(170, labels.Count(l => l == digit), $"digit {digit}");
        }
    }

    [TestMethod]
    public void FirstRowMatchesTheFile()
    {
        // The first row of the CSV: a zero, drawn as a ring.
        float[] expected = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0];
        Dataset all = Digits.LoadAll();

        CollectionAssert.AreEqual(expected.Select(v => v / 16).ToArray(), all.Images.AsSpan<float>()[..16].ToArray());
        Assert.AreEqual(0L, all.Labels.AsSpan<long>()[0]);
        Assert.AreEqual(1L, all.Labels.AsSpan<long>()[1]);
    }

    [TestMethod]
    public void SplitHasTheDocumentedSizesAndIsStratified()
    {
        (Dataset train, Dataset test) = Digits.Load();

        Assert.AreEqual(1438, train.Count);
        Assert.AreEqual(359, test.Count);
        long[] trainLabels = train.Labels.ToArray<long>();
        long[] testLabels = test.Labels.ToArray<long>();
        for (int digit = 0; digit < 10; digit++)
        {
            int inTest = testLabels.Count(l => l == digit);
            int total = inTest + trainLabels.Count(l => l == digit);
            Assert.AreEqual((int)Math.Round(0.2 * total, MidpointRounding.AwayFromZero), inTest, $"digit {digit}");
        }
    }

    [TestMethod]
    public void SplitIsDeterministicPerSeedAndDiffersAcrossSeeds()
    {
        (Dataset trainA, Dataset testA) = Digits.Load(seed: 7);
        (Dataset trainB, Dataset testB) = Digits.Load(seed: 7);
        (Dataset trainC, _) = Digits.Load(seed: 8);

        CollectionAssert.AreEqual(trainA.Images.ToArray<float>(), trainB.Images.ToArray<float>());
        CollectionAssert.AreEqual(testA.Labels.ToArray<long>(), testB.Labels.ToArray<long>());
        CollectionAssert.AreNotEqual(trainA.Images.ToArray<float>(), trainC.Images.ToArray<float>());
    }

    [TestMethod]
    public void TrainAndTestPartitionTheExamples()
    {
        Dataset all = Digits.LoadAll();
        (Dataset train, Dataset test) = Digits.Load(seed: 3, testFraction: 0.5);

        // Each image of 64 pixels as a string key; the multiset union of train and test must be all.
        static List<string> Keys(Dataset d)
        {
            float[] px = d.Images.ToArray<float>();
            long[] labels = d.Labels.ToArray<long>();
            return Enumerable.Range(0, d.Count).Select(i => string.Join(",", px.Skip(i * 64).Take(64)) + ":" + labels[i]).Order().ToList();
        }

        CollectionAssert.AreEqual(Keys(all), Keys(train).Concat(Keys(test)).Order().ToList());
        Assert.AreEqual(all.Count, train.Count + test.Count);
    }

    [TestMethod]
    public void BadTestFractionsAreRejected()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Digits.Load(testFraction: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Digits.Load(testFraction: 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Digits.Load(testFraction: double.NaN));
    }
}
