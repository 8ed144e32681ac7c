using Spectre.Console;

namespace Graph.Cli.Training;

/// <summary>
/// One line per epoch and nothing in between: for logs, pipes and <c>--quiet</c>. Lines go straight to the
/// console's writer, which Spectre.Console would otherwise wrap at 80 columns when the output is not a terminal.
/// </summary>
/// <param name="console">Where the lines go.</param>
/// <param name="epochs">The number of epochs, for <c>epoch 3/8</c>.</param>
internal sealed class PlainProgress(IAnsiConsole console, int epochs) : ITrainingProgress
{
    /// <inheritdoc/>
    public void EpochStarted(int epoch, int steps)
    {
    }

    /// <inheritdoc/>
    public void StepDone(int step, double meanLoss, double examplesPerSecond)
    {
    }

    /// <inheritdoc/>
    public void EpochDone(EpochResult result) => console.Profile.Out.Writer.WriteLine(result.Format(epochs));
}
