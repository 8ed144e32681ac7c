
namespace Graph.Core.Planning;

/// <summary>
/// A session holds every intermediate in one arena, one buffer: a plan larger than a buffer can hold is refused
/// when it is compiled, naming the largest values, instead of failing in <c>new Session</c> with a message that names none.
/// </summary>
internal static class ArenaLimit
{
    public static void Check(MemoryPlan plan)
    {
        if (plan.ArenaBytes <= AlignedBuffer.MaxByteLength)
        {
            return;
        }

        string largest = string.Join(", ", plan.Buffers
            .OrderByDescending(b => b.Bytes)
            .Take(3)
            .Select(b => $"'{b.Value.Name}' {b.Value.Type} ({b.Bytes} bytes)"));
        throw new GraphBuildException(
            $"The memory plan needs {plan.ArenaBytes} bytes of intermediates, more than one arena holds ({AlignedBuffer.MaxByteLength} bytes). " +
            $"The largest intermediates: {largest}. Use a smaller batch or smaller tensors, or fewer outputs alive at once.");
    }
}
