using System.Runtime.CompilerServices;

namespace Graph.Core;

public sealed partial class GraphBuilder
{
    /// <summary>
    /// The gradients of <paramref name="output"/> with respect to <paramref name="inputs"/>, built into this graph as
    /// ordinary values, as <c>torch.autograd.grad(output, inputs, grad_outputs, create_graph=True)</c>: they can be
    /// outputs, gradient roots, or differentiated again (Hessian-vector products, gradient penalties).
    /// </summary>
    /// <param name="output">What is differentiated. A scalar takes gradient 1; any other shape needs <paramref name="outputGradient"/>.</param>
    /// <param name="inputs">The values to differentiate with respect to: leaves or intermediate values of this graph.</param>
    /// <param name="outputGradient">The vector of the vector-Jacobian product (<c>grad_outputs</c>): output's shape and dtype.</param>
    /// <param name="sourceFile">The caller's file, filled in by the compiler (<see cref="Value.Source"/>).</param>
    /// <param name="sourceLine">The caller's line, filled in by the compiler.</param>
    /// <returns>One gradient per input, of the input's shape; zeros for an input <paramref name="output"/> does not depend on.</returns>
    /// <remarks>
    /// Built inside <see cref="NoGrad"/>, the gradients are constants of the graph's leaves (create_graph=False):
    /// they cannot be differentiated again.
    /// </remarks>
    /// <exception cref="GraphBuildException">
    /// A value belongs to another graph, <paramref name="output"/> does not require a gradient, an input cannot have
    /// one (it is not floating point), or <paramref name="outputGradient"/> is missing or does not fit.
    /// </exception>
    public IReadOnlyList<Value> Grad(Value output, IReadOnlyList<Value> inputs, Value? outputGradient = null, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        using SourceScope source = At(sourceFile, sourceLine);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        ThrowIfBuilt();
        RequireOwn(output, "output");
        foreach (Value input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            RequireOwn(input, "input");
            if (!input.DType.IsFloatingPoint())
            {
                throw new GraphBuildException($"Grad: input '{input.Name}' {input.Type} is not floating point and has no gradient. Differentiate with respect to float32 or float64 values.");
            }
        }

        if (!output.RequiresGrad)
        {
            throw new GraphBuildException($"Grad: output '{output.Name}' {output.Type} does not require a gradient: no value with requiresGrad reaches it through differentiable ops outside NoGrad and Detach. Make a leaf it depends on require a gradient.");
        }

        Value seed = Seed(output, outputGradient);
        Dictionary<int, Value> grads = ReverseMode.Backpropagate(this, output, seed);
        var result = new Value[inputs.Count];
        for (int i = 0; i < result.Length; i++)
        {
            Value input = inputs[i];
            result[i] = grads.TryGetValue(input.Id, out Value? grad)
                ? grad
                : Constant(Tensor.Scalar(0, input.DType)).ExpandAs(input);
        }

        return result;
    }

    private Value Seed(Value output, Value? outputGradient)
    {
        if (outputGradient is null)
        {
            if (output.Shape.Rank != 0)
            {
                throw new GraphBuildException($"Grad: output '{output.Name}' {output.Type} is not a scalar, so its gradient needs the vector of the vector-Jacobian product. Pass outputGradient of shape {output.Shape}, or reduce the output to a scalar first (Sum, Mean).");
            }

            return Constant(Tensor.Scalar(1, output.DType));
        }

        RequireOwn(outputGradient, "outputGradient");
        if (outputGradient.Type != output.Type)
        {
            throw new GraphBuildException($"Grad: outputGradient '{outputGradient.Name}' {outputGradient.Type} does not fit output '{output.Name}' {output.Type}; it must have the output's shape and dtype.");
        }

        return outputGradient;
    }

    private void RequireOwn(Value value, string role)
    {
        if (!ReferenceEquals(value.Builder, this))
        {
            throw new GraphBuildException($"Grad: {role} '{value.Name}' belongs to another graph. Differentiate values of the graph this GraphBuilder builds.");
        }
    }
}
