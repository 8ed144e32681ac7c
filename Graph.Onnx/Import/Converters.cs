namespace Graph.Onnx.Import;

/// <summary>Every op the importer converts, by ONNX op type; each family of ops lives in its own file.</summary>
internal static partial class Converters
{
    public static IReadOnlyDictionary<string, Action<NodeContext>> All { get; } = Build();

    /// <summary>
    /// The first opset whose form of an op the converters read, for ops whose inputs, attributes or broadcasting changed
    /// before opset 13 in ways the converters do not also read (the rest read every form since opset 1).
    /// </summary>
    public static IReadOnlyDictionary<string, int> Since { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        // NumPy broadcasting from opset 7; before it, a broadcast attribute.
        ["Add"] = 7, ["Sub"] = 7, ["Mul"] = 7, ["Div"] = 7, ["Pow"] = 7, ["Equal"] = 7, ["Gemm"] = 7,
        ["BatchNormalization"] = 9, ["Dropout"] = 7, ["Cast"] = 6, ["Concat"] = 4, ["Reshape"] = 5, ["Slice"] = 10,
    };

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
