using System.Globalization;

namespace Graph.Cli.Training;

/// <summary>What one epoch achieved.</summary>
/// <param name="Epoch">The epoch's number, from 1.</param>
/// <param name="LearningRate">The epoch's learning rate.</param>
/// <param name="TrainLoss">The mean cross-entropy over the epoch's training steps.</param>
/// <param name="TrainAccuracy">The share of training examples the model got right as it trained on them (training mode).</param>
/// <param name="TestAccuracy">The share of test examples the evaluation graph gets right after the epoch.</param>
/// <param name="Seconds">The epoch's wall time, evaluation included.</param>
/// <param name="ExamplesPerSecond">Training examples per second of training (forward, backward and step).</param>
internal sealed record EpochResult(int Epoch, double LearningRate, double TrainLoss, double TrainAccuracy, double TestAccuracy, double Seconds, double ExamplesPerSecond)
{
    /// <summary>One line for the log: <c>epoch 3/8  lr 0.002  loss 0.1234  train 96.52%  test 97.21%  2.1 s  5,123 ex/s</c>.</summary>
    public string Format(int epochs) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {Epoch}/{epochs}  lr {LearningRate:G3}  loss {TrainLoss:F4}  train {100 * TrainAccuracy:F2}%  test {100 * TestAccuracy:F2}%  {Seconds:F1} s  {ExamplesPerSecond:N0} ex/s");
}
