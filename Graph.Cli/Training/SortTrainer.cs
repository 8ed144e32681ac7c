using System.Diagnostics;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Cli.Training;

/// <summary>
/// Trains the sorting transformer: a training session steps through the training inputs in a new shuffled order
/// each pass, <see cref="TransformerSettings.StepsPerEpoch"/> steps an epoch; after each epoch an evaluation
/// session is given the trained parameters and scored by greedy exact match on the held-out inputs. The evaluation
/// session is the trained model: it is what gets saved.
/// </summary>
/// <remarks>
/// One AdamW (weight decay 0.01) for the whole run; its learning rate follows a cosine from the given one towards 0
/// over every step of the run (<see cref="CosineAnnealingLr"/> stepped after each optimizer step), and the gradients
/// are clipped to a total norm of <see cref="MaxGradNorm"/> before each step, as minGPT trains.
/// </remarks>
internal sealed class SortTrainer : IDisposable
{
    private readonly TransformerSettings _settings;
    private readonly SortTask _task;
    private readonly Session _trainSession;
    private readonly Value _tokenInput;
    private readonly Value _targetInput;
    private readonly Value _loss;
    private readonly Value _logits;
    private readonly Session _evalSession;
    private readonly SortEvaluator _evaluator;
    private readonly SeededRandom _shuffle;
    private readonly Tensor _tokens;
    private readonly Tensor _targets;
    private readonly (Tensor From, Tensor To)[] _parameterCopies;
    private readonly AdamW _optimizer;
    private readonly CosineAnnealingLr _schedule;
    private int[] _order = [];
    private int _next;

    /// <summary>
    /// Builds, compiles and allocates both sessions; with <paramref name="resume"/>, the training session is the saved
    /// one, and the learning rate's schedule and the order of the training inputs continue after its epochs.
    /// </summary>
    /// <exception cref="TrainOptionsException">The resumed session is not one of this run.</exception>
    public SortTrainer(TransformerSettings settings, SortTask task, ResumePoint? resume = null)
    {
        (_settings, _task) = (settings, task);
        var options = settings.Threads is int threads ? new SessionOptions { Threads = threads } : SessionOptions.Default;
        SequenceGraph eval = SequenceGraph.Build(settings.BatchSize, settings.Seed, training: false);
        _trainSession = resume is null
            ? new Session(SequenceGraph.Build(settings.BatchSize, settings.Seed, training: true).Compiled, options)
            : resume.Load(options, SequenceGraph.TokensName, eval.Tokens.Shape);
        (_tokenInput, _targetInput) = (_trainSession.Graph.Find(SequenceGraph.TokensName), _trainSession.Graph.Find(SequenceGraph.TargetsName));
        (_loss, _logits) = (_trainSession.Graph.Find(SequenceGraph.LossName), _trainSession.Graph.Find(SequenceGraph.LogitsName));
        _evalSession = new Session(eval.Compiled, options);
        _evaluator = new SortEvaluator(_evalSession);
        _shuffle = new SeededRandom(settings.Seed);
        _tokens = Tensor.Zeros(_tokenInput.Shape, DType.Int64);
        _targets = Tensor.Zeros(_targetInput.Shape, DType.Int64);
        _optimizer = new AdamW(_trainSession, settings.LearningRate);
        _schedule = new CosineAnnealingLr(_optimizer, settings.Epochs * settings.StepsPerEpoch);
        if (resume is not null)
        {
            // Integer and scalar work only: the rates and the draws of the steps done, so the next step is the uninterrupted run's.
            long stepsDone = (long)resume.EpochsDone * settings.StepsPerEpoch;
            _schedule.Resume(checked((int)stepsDone));
            for (long example = 0; example < stepsDone * settings.BatchSize; example++)
            {
                _ = NextExample();
            }
        }
        _parameterCopies = _trainSession.Parameters
            .Select(p => (_trainSession.ParameterValue(p), _evalSession.ParameterValue(_evalSession.Graph.Find(p.Name))))
            .ToArray();
    }

    /// <summary>The largest total gradient norm a step applies (torch.nn.utils.clip_grad_norm_).</summary>
    public const double MaxGradNorm = 1.0;

    /// <summary>The evaluation session, holding the parameters as of the last <see cref="RunEpoch"/>.</summary>
    public Session Model => _evalSession;

    /// <summary>The training session: what a checkpoint saves.</summary>
    public Session TrainingSession => _trainSession;

    /// <summary><see cref="TransformerSettings.StepsPerEpoch"/> training steps, then the held-out exact match.</summary>
    public EpochResult RunEpoch(int epoch, ITrainingProgress progress)
    {
        var clock = Stopwatch.StartNew();
        int batch = _settings.BatchSize;
        int steps = _settings.StepsPerEpoch;
        double lr = _optimizer.LearningRate;
        progress.EpochStarted(epoch, steps);

        double lossSum = 0;
        long correct = 0;
        for (int step = 0; step < steps; step++)
        {
            FillBatch();
            _trainSession.SetInput(_tokenInput, _tokens);
            _trainSession.SetInput(_targetInput, _targets);
            _trainSession.ZeroGrad();
            _trainSession.Forward();
            _trainSession.Backward();
            _trainSession.ClipGradNorm(MaxGradNorm);
            _optimizer.Step();
            _schedule.Step();
            lossSum += _trainSession.Output(_loss).Item();
            correct += CountTeacherForced(_trainSession.Output(_logits), _targets);
            progress.StepDone(step + 1, lossSum / (step + 1), (step + 1) * batch / clock.Elapsed.TotalSeconds);
        }

        double trainSeconds = clock.Elapsed.TotalSeconds;
        foreach ((Tensor from, Tensor to) in _parameterCopies)
        {
            from.CopyTo(to);
        }

        double testAccuracy = _evaluator.ExactMatch(_task.Test);
        long seen = (long)steps * batch;
        var result = new EpochResult(epoch, lr, lossSum / steps, (double)correct / seen, testAccuracy, clock.Elapsed.TotalSeconds, seen / trainSeconds);
        progress.EpochDone(result);
        return result;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _trainSession.Dispose();
        _evalSession.Dispose();
    }

    /// <summary>How many rows of the batch have all six answer digits right when fed the true previous digits.</summary>
    private static int CountTeacherForced(Tensor logits, Tensor targets)
    {
        ReadOnlySpan<float> values = logits.AsSpan<float>();
        ReadOnlySpan<long> truth = targets.AsSpan<long>();
        int rows = logits.Shape[0];
        int correct = 0;
        for (int row = 0; row < rows; row++)
        {
            bool all = true;
            for (int i = 0; i < SortTask.Length; i++)
            {
                int at = (row * SortTask.ContextLength) + SortTask.Length - 1 + i;
                all &= SortEvaluator.ArgMax(values.Slice(at * SortTask.Digits, SortTask.Digits)) == truth[(row * SortTask.Length) + i];
            }

            correct += all ? 1 : 0;
        }

        return correct;
    }

    /// <summary>The next batch of training inputs, reshuffling the training set each time it runs out.</summary>
    private void FillBatch()
    {
        Span<long> tokens = _tokens.AsSpan<long>();
        Span<long> targets = _targets.AsSpan<long>();
        for (int row = 0; row < _settings.BatchSize; row++)
        {
            SortTask.Write(_task.Train[NextExample()], row, tokens, targets);
        }
    }

    /// <summary>The index of the next training input, reshuffling the training set each time it runs out.</summary>
    private int NextExample()
    {
        if (_next == _order.Length)
        {
            _order = Data.Indices.Range(_task.Train.Count);
            Data.Indices.Shuffle(_order, _shuffle);
            _next = 0;
        }

        return _order[_next++];
    }
}
