using System.Globalization;
using Spectre.Console;

namespace Graph.Cli.Training;

/// <summary>
/// A Spectre.Console progress bar per epoch showing the running loss and throughput, and the epoch's line above
/// the bars when it ends. Only for interactive terminals: redrawn bars make a mess of a log.
/// </summary>
/// <param name="context">The running progress display.</param>
/// <param name="console">Where the epoch lines go.</param>
/// <param name="epochs">The number of epochs.</param>
internal sealed class LiveProgress(ProgressContext context, IAnsiConsole console, int epochs) : ITrainingProgress
{
    private ProgressTask? _task;
    private int _epoch;

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int steps)
    {
        _epoch = epoch;
        _task = context.AddTask(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs}"), maxValue: steps);
    }

    /// <inheritdoc/>
    public void StepDone(int step, double meanLoss, double examplesPerSecond)
    {
        _task!.Value = step;
        _task.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {_epoch}/{epochs}  loss {meanLoss:F4}  {examplesPerSecond:N0} ex/s");
    }

    /// <inheritdoc/>
    public void EpochDone(EpochResult result)
    {
        _task!.StopTask();
        console.WriteLine(result.Format(epochs));
    }
}
