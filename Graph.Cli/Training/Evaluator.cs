using Graph.Core;
using Graph.Data;
using Graph.Runtime;

namespace Graph.Cli.Training;

/// <summary>
/// Scores a classifier session on a whole dataset: any session with an <c>images</c> input of dynamic batch
/// (<c>[-1, C, H, W]</c>) and a <c>logits</c> output in evaluation mode, a freshly trained one or one loaded from a
/// .graph file.
/// </summary>
/// <remarks>
/// Full batches run at <see cref="BatchSize"/>, and the last one at the examples that remain: the session plans that
/// second size once, so every example is scored exactly once, with no padding.
/// </remarks>
internal sealed class Evaluator
{
    private readonly Session _session;
    private readonly Value _images;
    private readonly Value _logits;
    private readonly Dictionary<int, (Tensor Images, Tensor Labels)> _batches = [];

    /// <summary>An evaluator of <paramref name="session"/> that runs <paramref name="batchSize"/> examples at a time.</summary>
    /// <exception cref="ArgumentException">The session's images input has a fixed batch size (a file from before dynamic batches).</exception>
    public Evaluator(Session session, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _session = session;
        _images = session.Graph.Find(ClassifierGraph.ImagesName);
        _logits = session.Graph.Find(ClassifierGraph.LogitsName);
        if (_images.Shape.Rank == 0 || _images.Shape[0] != Shape.Dynamic)
        {
            throw new ArgumentException($"The evaluation graph's '{ClassifierGraph.ImagesName}' input is {_images.Type}; it needs a dynamic batch, [-1, C, H, W], so that the last batch runs at its real size. Train the model again with this version of graph.", nameof(session));
        }

        BatchSize = batchSize;
    }

    /// <summary>Examples per forward pass (the last pass runs the rest).</summary>
    public int BatchSize { get; }

    /// <summary>The share of <paramref name="data"/>'s examples whose largest logit is at their label; every example counts once.</summary>
    public double Accuracy(Dataset data)
    {
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        long correct = 0;
        for (int offset = 0; offset < data.Count; offset += BatchSize)
        {
            int count = Math.Min(BatchSize, data.Count - offset);
            (Tensor images, Tensor labels) = Batch(data, count);
            data.CopyBatch(order, offset, count, images, labels);
            _session.SetInput(_images, images);
            _session.Forward();
            correct += CountCorrect(_session.Output(_logits), labels, count);
        }

        return (double)correct / data.Count;
    }

    /// <summary>How many of the first <paramref name="count"/> rows of <paramref name="logits"/> <c>[batch, classes]</c> have their largest value at the label.</summary>
    public static int CountCorrect(Tensor logits, Tensor labels, int count)
    {
        int classes = logits.Shape[1];
        ReadOnlySpan<float> values = logits.AsSpan<float>();
        ReadOnlySpan<long> truth = labels.AsSpan<long>();
        int correct = 0;
        for (int i = 0; i < count; i++)
        {
            // The first maximum wins ties, as torch.argmax does.
            ReadOnlySpan<float> row = values.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            correct += best == truth[i] ? 1 : 0;
        }

        return correct;
    }

    // The batch tensors of one size, allocated once: the full size, and the size of the last batch.
    private (Tensor Images, Tensor Labels) Batch(Dataset data, int count)
    {
        if (!_batches.TryGetValue(count, out (Tensor Images, Tensor Labels) batch))
        {
            batch = (Tensor.Zeros(new Shape(count, data.Channels, data.Height, data.Width)), Tensor.Zeros(new Shape(count), DType.Int64));
            _batches[count] = batch;
        }

        return batch;
    }
}
