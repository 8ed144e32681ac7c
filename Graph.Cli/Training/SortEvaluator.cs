using Graph.Core;
using Graph.Runtime;

namespace Graph.Cli.Training;

/// <summary>
/// Scores a sorting transformer by exact match with greedy decoding, as minGPT does: the model is given the six
/// input digits and writes the answer one digit at a time, each from the most likely next token after what it
/// wrote so far (the causal mask makes the not-yet-written positions irrelevant); an input counts only when all
/// six digits are right. Works on a fresh evaluation session and on one loaded from a .graph file.
/// </summary>
internal sealed class SortEvaluator
{
    private readonly Session _session;
    private readonly Value _tokens;
    private readonly Value _logits;
    private readonly Tensor _batch;
    private readonly long[] _unusedTargets;

    /// <summary>An evaluator of <paramref name="session"/>, with its batch tensor allocated once.</summary>
    public SortEvaluator(Session session)
    {
        _session = session;
        _tokens = session.Graph.Find(SequenceGraph.TokensName);
        _logits = session.Graph.Find(SequenceGraph.LogitsName);
        _batch = Tensor.Zeros(_tokens.Shape, DType.Int64);
        _unusedTargets = new long[_tokens.Shape[0] * SortTask.Length];
    }

    /// <summary>The share of <paramref name="inputs"/> the model sorts exactly; every input counts (the last batch is padded).</summary>
    public double ExactMatch(IReadOnlyList<int[]> inputs)
    {
        int batch = _tokens.Shape[0];
        int correct = 0;
        for (int offset = 0; offset < inputs.Count; offset += batch)
        {
            int count = Math.Min(batch, inputs.Count - offset);
            Span<long> tokens = _batch.AsSpan<long>();
            for (int row = 0; row < batch; row++)
            {
                // The answer positions get the model's own digits below; padding rows repeat the last input.
                SortTask.Write(inputs[Math.Min(offset + row, inputs.Count - 1)], row, tokens, _unusedTargets);
            }

            var written = new long[batch, SortTask.Length];
            for (int step = 0; step < SortTask.Length; step++)
            {
                _session.SetInput(_tokens, _batch);
                _session.Forward();
                ReadOnlySpan<float> logits = _session.Output(_logits).AsSpan<float>();
                tokens = _batch.AsSpan<long>();
                for (int row = 0; row < batch; row++)
                {
                    int at = (row * SortTask.ContextLength) + SortTask.Length - 1 + step;
                    long next = ArgMax(logits.Slice(at * SortTask.Digits, SortTask.Digits));
                    written[row, step] = next;
                    if (step < SortTask.Length - 1)
                    {
                        tokens[at + 1] = next;
                    }
                }
            }

            for (int row = 0; row < count; row++)
            {
                int[] sorted = [.. inputs[offset + row].Order()];
                bool all = true;
                for (int i = 0; i < SortTask.Length; i++)
                {
                    all &= written[row, i] == sorted[i];
                }

                correct += all ? 1 : 0;
            }
        }

        return (double)correct / inputs.Count;
    }

    /// <summary>The first index of the largest value, as torch.argmax.</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
            {
                best = c;
            }
        }

        return best;
    }
}
