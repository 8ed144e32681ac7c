namespace Graph.Compiler.Passes.Rematerialization;

/// <summary>
/// Forward values recomputed together during backward: <paramref name="Members"/> (forward ids, heads included) are
/// copied once per tape that needs them, reading each other's copies and, for every other operand, the forward value
/// (saved, or a leaf). The backward steps that read a head read this group's copy of it.
/// </summary>
/// <param name="Heads">The saved values whose backward readers read this group's copies.</param>
/// <param name="Members">Every value the group recomputes, in id order.</param>
internal sealed record RecomputeGroup(int[] Heads, int[] Members);
