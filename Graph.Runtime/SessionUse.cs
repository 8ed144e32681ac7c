namespace Graph.Runtime;

/// <summary>
/// A session's in-use flag, held for the length of one call that runs or changes it (Forward, Backward, SetInput,
/// ZeroGrad, an optimizer's Step). A second thread that calls in meanwhile throws instead of racing on the arena and
/// the worker team: two threads in one session gave wrong numbers and hung in the GEMM's signalling. One interlocked
/// exchange per call, so the check costs nothing next to a pass.
/// </summary>
internal sealed class SessionUse
{
    private int _inUse;

    /// <summary>Called after the flag is taken, before the call's work: lets a test hold a call inside deterministically.</summary>
    internal Action<string>? EnteredForTest { get; set; }

    /// <summary>Takes the flag for <paramref name="call"/>; dispose the result to release it.</summary>
    /// <exception cref="InvalidOperationException">Another call holds the session.</exception>
    public Scope Enter(string call)
    {
        if (Interlocked.CompareExchange(ref _inUse, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                $"{call}: another thread is using this session. A session is used by one thread at a time; give each thread its own " +
                "Session (one CompiledGraph may back many), or serialize the calls with a lock.");
        }

        var scope = new Scope(this);
        EnteredForTest?.Invoke(call);
        return scope;
    }

    /// <summary>Releases the flag when disposed.</summary>
    public readonly struct Scope(SessionUse owner) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => Volatile.Write(ref owner._inUse, 0);
    }
}
