using Graph.Core;
using Graph.Data;
using Graph.Runtime;

namespace Graph.Cli.Training;

/// <summary>
/// Scores a classifier session on a whole dataset: any session with an <c>images</c> input and a <c>logits</c>
/// output in evaluation mode, a freshly trained one or one loaded from a .graph file.
/// </summary>
/// <remarks>
/// The session's batch size is fixed, so the last batch is padded with repeats of the dataset's last example and
/// only its real examples are counted. In evaluation mode each example's logits depend on that example alone
/// (batch norm uses its running statistics), so the padding changes no prediction.
/// </remarks>
internal sealed class Evaluator
{
    private readonly Session _session;
    private readonly Value _images;
    private readonly Value _logits;
    private readonly Tensor _imageBatch;
    private readonly Tensor _labelBatch;

    /// <summary>An evaluator of <paramref name="session"/>, with batch tensors allocated once.</summary>
    public Evaluator(Session session)
    {
        _session = session;
        _images = session.Graph.Find(ClassifierGraph.ImagesName);
        _logits = session.Graph.Find(ClassifierGraph.LogitsName);
        _imageBatch = Tensor.Zeros(_images.Shape);
        _labelBatch = Tensor.Zeros(new Shape(BatchSize), DType.Int64);
    }

    /// <summary>Examples per forward pass.</summary>
    public int BatchSize => _images.Shape[0];

    /// <summary>The share of <paramref name="data"/>'s examples whose largest logit is at their label; every example counts.</summary>
    public double Accuracy(Dataset data)
    {
        int[] order = PaddedOrder(data.Count, BatchSize);
        long correct = 0;
        for (int offset = 0; offset < data.Count; offset += BatchSize)
        {
            data.CopyBatch(order, offset, BatchSize, _imageBatch, _labelBatch);
            _session.SetInput(_images, _imageBatch);
            _session.Forward();
            correct += CountCorrect(_session.Output(_logits), _labelBatch, Math.Min(BatchSize, data.Count - offset));
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

    /// <summary>0 … count − 1, then the last index repeated up to a whole number of batches.</summary>
    private static int[] PaddedOrder(int count, int batchSize)
    {
        int batches = (count + batchSize - 1) / batchSize;
        var order = new int[batches * batchSize];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = Math.Min(i, count - 1);
        }

        return order;
    }
}
