using System.Diagnostics;

namespace Graph.Runtime.Execution;

/// <summary>
/// An auto-reset event for the worker threads that allocates nothing, ever: a flag, a spin of bounded time for the
/// common case where the partner is about to signal, then <see cref="Monitor.Wait(object)"/> on a lock object made
/// up front. (<see cref="ManualResetEventSlim"/> creates its lock object lazily, on the first wait that blocks, which
/// would show up as an allocation in whichever call happened to block first.)
/// </summary>
/// <remarks>
/// The spin is measured in time, not in rounds: the length of a pause instruction differs tenfold between processors,
/// and a worker that falls asleep between two kernels of one tape costs the next kernel a futex wake, which on a
/// virtual machine whose idle vCPU the hypervisor has descheduled takes tens of microseconds. That is why the
/// OpenMP runtimes the peers use spin for milliseconds (libgomp) or 200 ms (Intel's KMP_BLOCKTIME) before they block.
/// <see cref="Set"/> takes the lock only when the waiter is asleep, so a signal to a spinning waiter is one store.
/// </remarks>
internal sealed class WakeSignal
{
    private readonly object _gate = new();
    private readonly long _spinTicks;
    private int _isSet;
    private int _sleeping;

    /// <summary>A signal whose waiters spin for <paramref name="spin"/> before blocking.</summary>
    public WakeSignal(TimeSpan spin)
    {
        _spinTicks = (long)(spin.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Sets the signal, waking the waiter if it is blocked.</summary>
    public void Set()
    {
        // A full fence between the flag and the sleeping check, paired with the waiter's below: either the waiter sees
        // the flag before it sleeps, or this sees it asleep and pulses.
        Interlocked.Exchange(ref _isSet, 1);
        if (Volatile.Read(ref _sleeping) != 0)
        {
            lock (_gate)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Waits until the signal is set, then clears it.</summary>
    public void WaitAndReset()
    {
        if (!SpinUntilSet())
        {
            lock (_gate)
            {
                Interlocked.Exchange(ref _sleeping, 1);
                while (Volatile.Read(ref _isSet) == 0)
                {
                    Monitor.Wait(_gate);
                }

                Volatile.Write(ref _sleeping, 0);
            }
        }

        Volatile.Write(ref _isSet, 0);
    }

    private bool SpinUntilSet()
    {
        long deadline = Stopwatch.GetTimestamp() + _spinTicks;
        while (Volatile.Read(ref _isSet) == 0)
        {
            Thread.SpinWait(16);
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }
        }

        return true;
    }
}
