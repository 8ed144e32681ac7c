namespace Graph.Cli.Training;

/// <summary>Hears about a training run as it goes: a progress bar on a terminal, plain lines in a log.</summary>
internal interface ITrainingProgress
{
    /// <summary>An epoch of <paramref name="steps"/> training steps begins.</summary>
    void EpochStarted(int epoch, int steps);

    /// <summary>A training step finished; the numbers are the epoch's so far.</summary>
    void StepDone(int step, double meanLoss, double examplesPerSecond);

    /// <summary>Training ended for the epoch; <paramref name="result"/> has its test accuracy too.</summary>
    void EpochDone(EpochResult result);
}
