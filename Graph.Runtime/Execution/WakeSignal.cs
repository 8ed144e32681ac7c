namespace Graph.Runtime.Execution;

/// <summary>
/// An auto-reset event for the worker threads that allocates nothing, ever: a flag, a brief spin for the common case
/// where the partner is about to signal, then <see cref="Monitor.Wait(object)"/> on a lock object made up front.
/// (<see cref="ManualResetEventSlim"/> creates its lock object lazily, on the first wait that blocks, which
/// would show up as an allocation in whichever call happened to block first.)
/// </summary>
internal sealed class WakeSignal
{
    private readonly object _gate = new();
    private readonly int _spinIterations;
    private volatile bool _isSet;

    /// <summary>A signal whose waiters spin <paramref name="spinIterations"/> short rounds before blocking.</summary>
    public WakeSignal(int spinIterations)
    {
        _spinIterations = spinIterations;
    }

    /// <summary>Sets the signal, waking the waiter if it is blocked.</summary>
    public void Set()
    {
        lock (_gate)
        {
            _isSet = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Waits until the signal is set, then clears it.</summary>
    public void WaitAndReset()
    {
        for (int i = 0; i < _spinIterations && !_isSet; i++)
        {
            Thread.SpinWait(32);
        }

        lock (_gate)
        {
            while (!_isSet)
            {
                Monitor.Wait(_gate);
            }

            _isSet = false;
        }
    }
}
