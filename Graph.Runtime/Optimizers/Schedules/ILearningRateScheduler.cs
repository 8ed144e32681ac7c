namespace Graph.Runtime;

/// <summary>
/// A learning-rate schedule over an optimizer's parameter groups, as torch.optim.lr_scheduler's schedulers: call
/// <see cref="Step"/> once after each optimizer step (or epoch); building one already sets the first rate.
/// </summary>
public interface ILearningRateScheduler
{
    /// <summary>The optimizer whose groups' learning rates this scheduler sets.</summary>
    Optimizer Optimizer { get; }

    /// <summary>How many times <see cref="Step"/> has run (torch's <c>last_epoch</c>): 0 right after construction.</summary>
    int LastEpoch { get; }

    /// <summary>The learning rate of each parameter group after the last step or the construction (torch's <c>get_last_lr()</c>).</summary>
    IReadOnlyList<double> LastLearningRates { get; }

    /// <summary>Moves the schedule one step on and writes each group's new learning rate into the optimizer.</summary>
    void Step();
}
