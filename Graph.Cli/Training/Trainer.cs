using System.Diagnostics;
using Graph.Core;
using Graph.Data;
using Graph.Runtime;

namespace Graph.Cli.Training;

/// <summary>
/// Trains a classifier: a training session (batch statistics, loss, backward) steps through the shuffled training
/// set, and after each epoch an evaluation session (running statistics) is given the trained parameters and
/// scored on the whole test set. The evaluation session is the trained model: it is what gets saved.
/// </summary>
/// <remarks>
/// <para>
/// The learning rate follows a cosine from the given one towards 0, a step per epoch, as PyTorch's
/// <c>CosineAnnealingLR(T_max = epochs)</c> stepped after each epoch: the last epochs settle into a minimum instead
/// of bouncing around it. Each epoch gets a new optimizer with its rate; momentum and moments live in the session,
/// so they carry over.
/// </para>
/// <para>
/// Every training step has the full batch size, which a compiled graph fixes: the last
/// <c>trainCount mod batchSize</c> examples of each epoch's shuffled order are left out of that epoch. The order
/// changes every epoch, so no example is left out for good.
/// </para>
/// </remarks>
internal sealed class Trainer : IDisposable
{
    private readonly TrainSettings _settings;
    private readonly Session _trainSession;
    private readonly Value _images;
    private readonly Value _labels;
    private readonly Value _loss;
    private readonly Value _logits;
    private readonly Session _evalSession;
    private readonly Evaluator _evaluator;
    private readonly SeededRandom _shuffle;
    private readonly Tensor _imageBatch;
    private readonly Tensor _labelBatch;
    private readonly (Tensor From, Tensor To)[] _parameterCopies;

    /// <summary>
    /// Builds, compiles and allocates both sessions for <paramref name="data"/>'s image shape; with
    /// <paramref name="resume"/>, the training session is the saved one and the shuffling continues after its epochs.
    /// </summary>
    /// <exception cref="TrainOptionsException">The resumed session is not one of this run.</exception>
    public Trainer(TrainSettings settings, Dataset data, ResumePoint? resume = null)
    {
        _settings = settings;
        var options = settings.Threads is int threads ? new SessionOptions { Threads = threads } : SessionOptions.Default;
        var trainOptions = new SessionOptions
        {
            Threads = options.Threads,
            PoisonDeadBuffers = options.PoisonDeadBuffers,
            Profile = options.Profile || settings.Profile,
        };
        ClassifierGraph train = ClassifierGraph.Build(settings.Recipe, data, settings.BatchSize, settings.Seed, training: true);
        // The evaluation graph takes any batch: the test set's last batch runs at its real size.
        ClassifierGraph eval = ClassifierGraph.Build(settings.Recipe, data, Shape.Dynamic, settings.Seed, training: false);
        _trainSession = resume is null
            ? new Session(train.Compiled, trainOptions)
            : resume.Load(trainOptions, ClassifierGraph.ImagesName, train.Images.Shape);
        (_images, _labels) = (_trainSession.Graph.Find(ClassifierGraph.ImagesName), _trainSession.Graph.Find(ClassifierGraph.LabelsName));
        (_loss, _logits) = (_trainSession.Graph.Find(ClassifierGraph.LossName), _trainSession.Graph.Find(ClassifierGraph.LogitsName));
        _evalSession = new Session(eval.Compiled, options);
        _evaluator = new Evaluator(_evalSession, settings.BatchSize);
        _shuffle = new SeededRandom(settings.Seed);
        for (int epoch = 1; epoch <= (resume?.EpochsDone ?? 0); epoch++)
        {
            _ = ShuffledOrder(data.Count); // the generator's draws of the epochs done, so the next epoch's order is the uninterrupted run's
        }

        _imageBatch = Tensor.Zeros(_images.Shape);
        _labelBatch = Tensor.Zeros(_labels.Shape, DType.Int64);

        // Both graphs come from one recipe and seed, so their parameters (running statistics too) match by name.
        _parameterCopies = _trainSession.Parameters
            .Select(p => (_trainSession.ParameterValue(p), _evalSession.ParameterValue(_evalSession.Graph.Find(p.Name))))
            .ToArray();
    }

    /// <summary>Where the training session's time went, per op (needs <see cref="TrainSettings.Profile"/>).</summary>
    public SessionProfile TrainingProfile() => _trainSession.Profile();

    /// <summary>The evaluation session, holding the parameters as of the last <see cref="RunEpoch"/>.</summary>
    public Session Model => _evalSession;

    /// <summary>The training session: what a checkpoint saves.</summary>
    public Session TrainingSession => _trainSession;

    /// <summary>One pass over <paramref name="train"/>, then the score on <paramref name="test"/>.</summary>
    public EpochResult RunEpoch(int epoch, Dataset train, Dataset test, ITrainingProgress progress)
    {
        var clock = Stopwatch.StartNew();
        int batch = _settings.BatchSize;
        int steps = train.Count / batch;
        int[] order = ShuffledOrder(train.Count);
        double lr = _settings.LearningRate * (1 + Math.Cos(Math.PI * (epoch - 1) / _settings.Epochs)) / 2;
        Action optimizerStep = _settings.UseSgd
            ? new Sgd(_trainSession, lr, TrainSettings.SgdMomentum).Step
            : new Adam(_trainSession, lr).Step;
        progress.EpochStarted(epoch, steps);

        double lossSum = 0;
        long correct = 0;
        for (int step = 0; step < steps; step++)
        {
            train.CopyBatch(order, step * batch, batch, _imageBatch, _labelBatch);
            _trainSession.SetInput(_images, _imageBatch);
            _trainSession.SetInput(_labels, _labelBatch);
            _trainSession.ZeroGrad();
            _trainSession.Forward();
            _trainSession.Backward();
            optimizerStep();
            lossSum += _trainSession.Output(_loss).Item();
            correct += Evaluator.CountCorrect(_trainSession.Output(_logits), _labelBatch, batch);
            progress.StepDone(step + 1, lossSum / (step + 1), (step + 1) * batch / clock.Elapsed.TotalSeconds);
        }

        double trainSeconds = clock.Elapsed.TotalSeconds;
        foreach ((Tensor from, Tensor to) in _parameterCopies)
        {
            from.CopyTo(to);
        }

        double testAccuracy = _evaluator.Accuracy(test);
        int seen = steps * batch;
        var result = new EpochResult(epoch, lr, lossSum / steps, (double)correct / seen, testAccuracy, clock.Elapsed.TotalSeconds, seen / trainSeconds);
        progress.EpochDone(result);
        return result;
    }

    /// <summary>The next epoch's order of the <paramref name="count"/> training examples.</summary>
    private int[] ShuffledOrder(int count)
    {
        int[] order = Indices.Range(count);
        Indices.Shuffle(order, _shuffle);
        return order;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _trainSession.Dispose();
        _evalSession.Dispose();
    }
}
