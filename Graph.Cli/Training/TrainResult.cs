namespace Graph.Cli.Training;

/// <summary>What a training run achieved and where the model went.</summary>
/// <param name="Epochs">Each epoch's numbers, in order.</param>
/// <param name="OutputPath">The .graph file written: the evaluation session after the last epoch.</param>
/// <param name="Seconds">The whole run's wall time: building, training, evaluating and saving.</param>
internal sealed record TrainResult(IReadOnlyList<EpochResult> Epochs, string OutputPath, double Seconds)
{
    /// <summary>The test accuracy after the last epoch: the saved model's.</summary>
    public double FinalTestAccuracy => Epochs[^1].TestAccuracy;

    /// <summary>The epoch with the highest test accuracy (the first, on a tie).</summary>
    public EpochResult Best => Epochs.MaxBy(e => e.TestAccuracy)!;
}
