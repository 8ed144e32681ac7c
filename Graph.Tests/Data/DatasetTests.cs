using Graph.Core;
using Graph.Data;

namespace Graph.Tests.Data;

[TestClass]
public sealed class DatasetTests
{
    [TestMethod]
    public void SubsetCopiesTheChosenExamplesInOrder()
    {
        Dataset data = Sample(4);

        Dataset subset = data.Subset([3, 1, 3]);

        Assert.AreEqual(3, subset.Count);
        CollectionAssert.AreEqual(new long[] { 3, 1, 3 }, subset.Labels.ToArray<long>());
        CollectionAssert.AreEqual(new float[] { 30, 31, 10, 11, 30, 31 }, subset.Images.ToArray<float>().Select(v => MathF.Round(v * 100)).ToArray());

        // A copy: changing it leaves the original alone.
        subset.Images.Fill(0);
        Assert.AreEqual(3 / 10f, data.Images.AsSpan<float>()[6]);
    }

    [TestMethod]
    public void CopyBatchFillsPreallocatedTensors()
    {
        Dataset data = Sample(5);
        Tensor images = Tensor.Zeros(new Shape(2, 1, 1, 2));
        Tensor labels = Tensor.Zeros(new Shape(2), DType.Int64);
        int[] order = [4, 0, 2, 1, 3];

        data.CopyBatch(order, 2, 2, images, labels);

        CollectionAssert.AreEqual(new long[] { 2, 1 }, labels.ToArray<long>());
        CollectionAssert.AreEqual(new[] { 2 / 10f, (2 / 10f) + 0.01f, 1 / 10f, (1 / 10f) + 0.01f }, images.ToArray<float>());
    }

    [TestMethod]
    public void CopyBatchAllocatesNothing()
    {
        Dataset data = Digits.LoadAll();
        Tensor images = Tensor.Zeros(new Shape(32, 1, 8, 8));
        Tensor labels = Tensor.Zeros(new Shape(32), DType.Int64);
        int[] order = Indices.Range(data.Count);
        data.CopyBatch(order, 0, 32, images, labels);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int offset = 0; offset + 32 <= order.Length; offset += 32)
        {
            data.CopyBatch(order, offset, 32, images, labels);
        }

        Assert.AreEqual(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void CopyBatchRejectsBadArguments()
    {
        Dataset data = Sample(3);
        Tensor images = Tensor.Zeros(new Shape(2, 1, 1, 2));
        Tensor labels = Tensor.Zeros(new Shape(2), DType.Int64);

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.CopyBatch([0, 1], 1, 2, images, labels));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.CopyBatch([0, 3], 0, 2, images, labels));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.CopyBatch([0, -1], 0, 2, images, labels));
        Assert.ThrowsExactly<ArgumentException>(() => data.CopyBatch([0, 1, 2], 0, 3, images, labels));
        Assert.ThrowsExactly<ArgumentException>(() => data.CopyBatch([0, 1], 0, 2, Tensor.Zeros(new Shape(2, 1, 2, 1)), labels));
        Assert.ThrowsExactly<ArgumentException>(() => data.CopyBatch([0, 1], 0, 2, images, Tensor.Zeros(new Shape(2))));
    }

    [TestMethod]
    public void ConstructorChecksShapesAndLabels()
    {
        Tensor images = Tensor.Zeros(new Shape(2, 1, 2, 2));

        Assert.ThrowsExactly<ArgumentException>(() => new Dataset(images, Tensor.FromArray([0L, 3L]), 3));
        Assert.ThrowsExactly<ArgumentException>(() => new Dataset(images, Tensor.FromArray([0L, -1L]), 3));
        Assert.ThrowsExactly<ArgumentException>(() => new Dataset(images, Tensor.FromArray([0L]), 3));
        Assert.ThrowsExactly<ArgumentException>(() => new Dataset(Tensor.Zeros(new Shape(2, 4)), Tensor.FromArray([0L, 1L]), 3));
        Assert.AreEqual(2, new Dataset(images, Tensor.FromArray([0L, 2L]), 3).Count);
    }

    [TestMethod]
    public void ShuffleIsASeededPermutation()
    {
        int[] a = Indices.Range(100);
        int[] b = Indices.Range(100);
        int[] c = Indices.Range(100);

        Indices.Shuffle(a, new SeededRandom(1));
        Indices.Shuffle(b, new SeededRandom(1));
        Indices.Shuffle(c, new SeededRandom(2));

        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEqual(a, c);
        CollectionAssert.AreNotEqual(Indices.Range(100), a);
        CollectionAssert.AreEquivalent(Indices.Range(100), a);
    }

    /// <summary>N examples of shape [1, 1, 2]: example i holds i/10 and i/10 + 0.01, label i.</summary>
    private static Dataset Sample(int count)
    {
        var pixels = new float[count * 2];
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            pixels[2 * i] = i / 10f;
            pixels[(2 * i) + 1] = (i / 10f) + 0.01f;
            labels[i] = i;
        }

        return new Dataset(Tensor.FromArray(pixels, count, 1, 1, 2), Tensor.FromArray(labels, count), count);
    }
}
