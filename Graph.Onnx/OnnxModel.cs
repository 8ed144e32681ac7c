using Graph.Core;

namespace Graph.Onnx;

/// <summary>
/// What <see cref="Onnx.Import"/> added to a graph being built: the model's inputs (to feed) and outputs (to read, or
/// to build a loss on), in the model's order and with the model's names.
/// </summary>
/// <param name="Inputs">The graph inputs of the model, initializers excluded.</param>
/// <param name="Outputs">The graph outputs of the model.</param>
public sealed record OnnxModel(IReadOnlyList<Value> Inputs, IReadOnlyList<Value> Outputs);
