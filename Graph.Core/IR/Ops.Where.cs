using System.Runtime.CompilerServices;
namespace Graph.Core;

/// <summary>The functional layer: selection.</summary>
public static partial class Ops
{
    /// <summary>
    /// Elementwise <paramref name="a"/> where <paramref name="condition"/> (bool) holds and <paramref name="b"/> elsewhere,
    /// all three broadcast together, like <c>torch.where</c>.
    /// </summary>
    public static Value Where(Value condition, Value a, Value b, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using GraphBuilder.SourceScope source = SourceScopes.At(condition, sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Builder.Apply(Operations.Where.Instance, OpAttributes.Empty, condition, a, b);
    }
}
