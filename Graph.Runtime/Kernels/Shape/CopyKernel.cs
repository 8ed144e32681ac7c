using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// reshape and detach: the same bytes in the output's buffer (nothing at all when the planner gave both one buffer).
/// A large copy runs in fixed parts of <see cref="FixedParts.Bytes"/> on the session's threads.
/// </summary>
internal sealed class CopyKernel(KernelBinding b) : Kernel(b.Node), IItemKernel
{
    private readonly Tensor _x = b.Input(0);
    private readonly Tensor _y = b.Output;
    private readonly Execution.WorkerTeam _team = b.Context.Team;

    public override void Run()
    {
        if (!_x.Bytes.Overlaps(_y.Bytes))
        {
            FixedParts.RunItems(_team, this, _y.ByteLength, FixedParts.Bytes);
        }
    }

    /// <summary>Copies bytes [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public void RunItems(int first, int count) => _x.Bytes.Slice(first, count).CopyTo(_y.Bytes.Slice(first, count));
}
