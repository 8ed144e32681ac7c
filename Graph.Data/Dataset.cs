using Graph.Core;

namespace Graph.Data;

/// <summary>
/// A labelled image-classification set held in memory: images as float32 <c>[N, C, H, W]</c> with values in
/// [0, 1], labels as int64 <c>[N]</c> class indices in [0, <see cref="Classes"/>).
/// </summary>
public sealed class Dataset
{
    /// <summary>A dataset over the given tensors (not copied: the dataset owns them from now on).</summary>
    /// <param name="images">Float32 images, <c>[N, C, H, W]</c>.</param>
    /// <param name="labels">Int64 class indices, <c>[N]</c>, each in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes.</param>
    /// <exception cref="ArgumentException">A dtype or shape is wrong, the counts differ, or a label is out of range.</exception>
    public Dataset(Tensor images, Tensor labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (images.DType != DType.Float32 || images.Shape.Rank != 4)
        {
            throw new ArgumentException($"Images must be float32 [N, C, H, W]; got {images.DType.Name()} {images.Shape}.", nameof(images));
        }

        if (labels.DType != DType.Int64 || labels.Shape.Rank != 1 || labels.Shape[0] != images.Shape[0])
        {
            throw new ArgumentException($"Labels must be int64 [{images.Shape[0]}] to match images {images.Shape}; got {labels.DType.Name()} {labels.Shape}.", nameof(labels));
        }

        ReadOnlySpan<long> values = labels.AsSpan<long>();
        for (int i = 0; i < values.Length; i++)
        {
            if ((ulong)values[i] >= (ulong)classes)
            {
                throw new ArgumentException($"Label {i} is {values[i]}; labels must be in [0, {classes}).", nameof(labels));
            }
        }

        Images = images;
        Labels = labels;
        Classes = classes;
    }

    /// <summary>The images, float32 <c>[N, C, H, W]</c>, values in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>The class of each image, int64 <c>[N]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of examples, N.</summary>
    public int Count => Images.Shape[0];

    /// <summary>The number of classes; every label is below it.</summary>
    public int Classes { get; }

    /// <summary>Channels per image, C.</summary>
    public int Channels => Images.Shape[1];

    /// <summary>Image height in pixels, H.</summary>
    public int Height => Images.Shape[2];

    /// <summary>Image width in pixels, W.</summary>
    public int Width => Images.Shape[3];

    /// <summary>Values per image, C × H × W.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>A new dataset holding copies of the examples at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="Count"/>).</exception>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        Tensor images = Tensor.Zeros(new Shape(indices.Length, Channels, Height, Width));
        Tensor labels = Tensor.Zeros(new Shape(indices.Length), DType.Int64);
        CopyBatch(indices, 0, indices.Length, images, labels);
        return new Dataset(images, labels, Classes);
    }

    /// <summary>
    /// Copies the examples at <c>indices[offset .. offset + batchSize]</c> into preallocated tensors, allocating
    /// nothing, so a training loop can reuse one pair of batch tensors for every step.
    /// </summary>
    /// <param name="indices">Example indices, typically a shuffled permutation of [0, <see cref="Count"/>).</param>
    /// <param name="offset">Where in <paramref name="indices"/> the batch starts.</param>
    /// <param name="batchSize">How many examples to copy.</param>
    /// <param name="images">Float32 <c>[batchSize, C, H, W]</c>; receives the images.</param>
    /// <param name="labels">Int64 <c>[batchSize]</c>; receives the labels.</param>
    /// <exception cref="ArgumentException">A destination's dtype or shape does not fit the batch.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range runs outside <paramref name="indices"/>, or an index is outside [0, <see cref="Count"/>).</exception>
    public void CopyBatch(ReadOnlySpan<int> indices, int offset, int batchSize, Tensor images, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, indices.Length - offset);

        // Compare dimensions one by one: building a Shape to compare with would allocate on every step.
        ReadOnlySpan<int> dims = images.Shape.Dims;
        if (images.DType != DType.Float32 || dims.Length != 4 || dims[0] != batchSize || !dims[1..].SequenceEqual(Images.Shape.Dims[1..]))
        {
            throw new ArgumentException($"The image batch must be float32 [{batchSize}, {Channels}, {Height}, {Width}]; got {images.DType.Name()} {images.Shape}.", nameof(images));
        }

        if (labels.DType != DType.Int64 || labels.Shape.Rank != 1 || labels.Shape[0] != batchSize)
        {
            throw new ArgumentException($"The label batch must be int64 [{batchSize}]; got {labels.DType.Name()} {labels.Shape}.", nameof(labels));
        }

        int size = ImageSize;
        ReadOnlySpan<float> sourceImages = Images.AsSpan<float>();
        ReadOnlySpan<long> sourceLabels = Labels.AsSpan<long>();
        Span<float> destinationImages = images.AsSpan<float>();
        Span<long> destinationLabels = labels.AsSpan<long>();
        for (int i = 0; i < batchSize; i++)
        {
            int index = indices[offset + i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Index {index} at position {offset + i} is outside [0, {Count}).");
            }

            sourceImages.Slice(index * size, size).CopyTo(destinationImages.Slice(i * size, size));
            destinationLabels[i] = sourceLabels[index];
        }
    }
}
