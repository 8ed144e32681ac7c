using Graph.Core;

namespace Graph.Compiler;

/// <summary>Settings of <see cref="GradientCheck.Run"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The step of the central differences, as torch.autograd.gradcheck's <c>eps</c>.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>Seeds the random projection <c>u</c> of a non-scalar output.</summary>
    public int Seed { get; init; }

    /// <summary>Values for the graph's inputs, by value; every input the output reads needs one.</summary>
    public IReadOnlyDictionary<Value, Tensor> Inputs { get; init; } = new Dictionary<Value, Tensor>();
}
