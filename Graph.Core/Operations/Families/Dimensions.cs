namespace Graph.Core.Operations;

/// <summary>Dimension arithmetic in shape rules, done in long so that a sum of sizes cannot wrap into a small or negative one.</summary>
internal static class Dimensions
{
    /// <summary><paramref name="size"/> as a dimension; throws naming <paramref name="what"/> when it is larger than a dimension can be.</summary>
    public static int Checked(long size, string what) =>
        size <= int.MaxValue
            ? (int)size
            : throw new OpRuleException($"{what} would be {size}, more than the largest dimension ({int.MaxValue})");
}
