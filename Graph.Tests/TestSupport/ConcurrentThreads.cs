namespace Graph.Tests.TestSupport;

/// <summary>Runs a body on several threads started together, for tests of what sessions and teams do side by side.</summary>
internal static class ConcurrentThreads
{
    /// <summary>Runs <paramref name="body"/>(t) for t in [0, <paramref name="count"/>), each on its own thread, all released at once; rethrows the first failure.</summary>
    public static void Run(int count, Action<int> body)
    {
        var errors = new Exception?[count];
        using var start = new Barrier(count);
        Thread[] threads = Enumerable.Range(0, count).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                body(t);
            }
            catch (Exception e)
            {
                errors[t] = e;
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Exception? first = errors.FirstOrDefault(e => e is not null);
        if (first is not null)
        {
            throw new AggregateException($"A thread failed: {first.Message}", first);
        }
    }
}
