namespace Graph.Core;

/// <summary>The caller-location scopes of the static builder surface (<see cref="Ops"/>), found from an operand's builder.</summary>
internal static class SourceScopes
{
    /// <summary>Sets the location of what is built until disposal, on <paramref name="operand"/>'s builder (nothing for a null operand).</summary>
    public static GraphBuilder.SourceScope At(Value? operand, string file, int line) =>
        operand is null ? default : operand.Builder.At(file, line);

    /// <summary>Sets the location of what is built until disposal, on the first operand's builder (nothing for no operands).</summary>
    public static GraphBuilder.SourceScope At(IReadOnlyList<Value>? operands, string file, int line) =>
        operands is null || operands.Count == 0 ? default : At(operands[0], file, line);
}
