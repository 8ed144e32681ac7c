namespace Graph.Core;

/// <summary>
/// How a compiled graph's tapes were lowered, kept so that the plan a session makes for each concrete size of a
/// dynamic graph is lowered the same way (files do not store it: a loaded graph takes the defaults).
/// </summary>
/// <param name="Fuse">Whether runs of elementwise steps are fused (<c>CompileOptions.Fuse</c>).</param>
/// <param name="ShareMemory">Whether intermediates share arena bytes (<c>CompileOptions.PlanMemory</c>).</param>
internal readonly record struct LoweringOptions(bool Fuse, bool ShareMemory)
{
    /// <summary>The compiler's defaults: fused and planned.</summary>
    public static LoweringOptions Default { get; } = new(Fuse: true, ShareMemory: true);
}
