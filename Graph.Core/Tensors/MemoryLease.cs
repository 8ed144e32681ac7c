namespace Graph.Core;

/// <summary>
/// A session's hold on its pooled arena, shared by every view of it. Disposing the session revokes the lease
/// before the arena goes back to the pool, so a view kept past the session fails on access instead of reading or
/// writing the memory of the next session that rents the same arena.
/// </summary>
internal sealed class MemoryLease
{
    private volatile bool _revoked;

    /// <summary>Whether the owner has given the memory back.</summary>
    public bool Revoked => _revoked;

    /// <summary>Marks the memory as given back; every view of it throws from then on.</summary>
    public void Revoke() => _revoked = true;
}
