namespace Graph.Onnx.Import;

/// <summary>Every op the importer converts, by ONNX op type; each family of ops lives in its own file.</summary>
internal static partial class Converters
{
    public static IReadOnlyDictionary<string, Action<NodeContext>> All { get; } = Build();

    private static Dictionary<string, Action<NodeContext>> Build()
    {
        var all = new Dictionary<string, Action<NodeContext>>(StringComparer.Ordinal);
        AddElementwise(all);
        AddNeuralNetwork(all);
        AddShapes(all);
        AddReductions(all);
        return all;
    }
}
