using Graph.Core;

namespace Graph.Data;

/// <summary>Builds a <see cref="Dataset"/> from an MNIST-style pair of IDX files: ubyte images and ubyte labels.</summary>
public static class IdxDataset
{
    /// <summary>
    /// Reads images (ubyte <c>[N, H, W]</c>, 0–255) and labels (ubyte <c>[N]</c>) into a dataset of float32
    /// <c>[N, 1, H, W]</c> images scaled to [0, 1] and int64 labels.
    /// </summary>
    /// <param name="imagesPath">The images file, gzipped or not.</param>
    /// <param name="labelsPath">The labels file, gzipped or not.</param>
    /// <param name="classes">The number of classes; every label must be below it.</param>
    /// <exception cref="IdxFormatException">
    /// A file is malformed, has the wrong type or rank, the counts differ, a label is too large, or the images as float32
    /// would need more than one tensor holds (<see cref="AlignedBuffer.MaxByteLength"/> bytes, about 2.7 million 28×28
    /// images): this is checked from the header, before any data is read.
    /// </exception>
    /// <exception cref="IOException">A file cannot be opened or read.</exception>
    public static Dataset Load(string imagesPath, string labelsPath, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ThrowIfImagesTooLarge(imagesPath);
        IdxArray images = IdxReader.Read(imagesPath);
        if (images.ElementType != IdxElementType.UnsignedByte || images.Shape.Rank != 3)
        {
            throw new IdxFormatException(imagesPath, $"images must be ubyte [count, rows, columns]; this file holds {images.ElementType} {images.Shape}.");
        }

        IdxArray labels = IdxReader.Read(labelsPath);
        if (labels.ElementType != IdxElementType.UnsignedByte || labels.Shape.Rank != 1)
        {
            throw new IdxFormatException(labelsPath, $"labels must be ubyte [count]; this file holds {labels.ElementType} {labels.Shape}.");
        }

        int count = images.Shape[0];
        if (labels.Shape[0] != count)
        {
            throw new IdxFormatException(labelsPath, $"it has {labels.Shape[0]} labels but '{imagesPath}' has {count} images; they must match.");
        }

        ReadOnlySpan<byte> labelBytes = labels.AsSpan<byte>();
        Tensor labelTensor = Tensor.Zeros(new Shape(count), DType.Int64);
        Span<long> labelValues = labelTensor.AsSpan<long>();
        for (int i = 0; i < count; i++)
        {
            if (labelBytes[i] >= classes)
            {
                throw new IdxFormatException(labelsPath, $"label {i} is {labelBytes[i]}; labels must be below {classes}.");
            }

            labelValues[i] = labelBytes[i];
        }

        ReadOnlySpan<byte> pixels = images.AsSpan<byte>();
        Tensor imageTensor = Tensor.Zeros(new Shape(count, 1, images.Shape[1], images.Shape[2]));
        Span<float> values = imageTensor.AsSpan<float>();
        for (int i = 0; i < pixels.Length; i++)
        {
            values[i] = pixels[i] / 255f;
        }

        return new Dataset(imageTensor, labelTensor, classes);
    }

    /// <summary>
    /// One ubyte pixel becomes four bytes of float32, so a file the reader accepts can still make a tensor larger than
    /// one buffer holds; refusing it from the header costs no memory, where reading first would cost the whole file.
    /// </summary>
    private static void ThrowIfImagesTooLarge(string imagesPath)
    {
        if (IdxHeader.TryRead(imagesPath) is not ({ } type, { Length: 3 } dims) || type != IdxElementType.UnsignedByte || dims.Any(d => d <= 0))
        {
            return; // the reader reports what is wrong with it
        }

        long bytes = (long)dims[0] * dims[1] * dims[2] * sizeof(float);
        if (bytes > AlignedBuffer.MaxByteLength)
        {
            throw new IdxFormatException(imagesPath, $"its {dims[0]} images of {dims[1]}×{dims[2]} need {bytes} bytes as float32, more than one tensor holds ({AlignedBuffer.MaxByteLength} bytes); split the file, or load at most {AlignedBuffer.MaxByteLength / ((long)dims[1] * dims[2] * sizeof(float))} images of this size.");
        }
    }
}
