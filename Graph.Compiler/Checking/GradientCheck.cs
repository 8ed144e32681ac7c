using Graph.Core;
using Graph.Runtime;

namespace Graph.Compiler;

/// <summary>
/// Checks a graph's gradients against central finite differences in float64, as torch.autograd.gradcheck,
/// Theano's verify_grad and tf.test.compute_gradient_error do, on any graph a user builds.
/// </summary>
/// <remarks>
/// A non-scalar output is projected to the scalar <c>Σ u ⊙ output</c> with a random <c>u</c> (one backward pass
/// instead of one per output element, as PyTorch's fast mode). Each element of each leaf that requires a gradient
/// is moved by ±<see cref="GradientCheckOptions.Epsilon"/> and the forward pass run again, so the graph must compute
/// the same function on every pass: a dropout mask, drawn afresh each pass, makes the differences meaningless.
/// </remarks>
public static class GradientCheck
{
    /// <summary>
    /// Differentiates <paramref name="output"/> of <paramref name="graph"/> with respect to every leaf that requires a
    /// gradient, by the compiled backward pass and by central differences, and reports the errors per leaf.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The output is not in the graph or does not require a gradient, a value is not float64, or an input has no value.
    /// </exception>
    public static GradientCheckReport Run(ComputeGraph graph, Value output, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new GradientCheckOptions();
        Value resolved = graph.Resolve(output);
        Value[] leaves = graph.Values.Where(v => v.IsLeaf && v.RequiresGrad).ToArray();
        RequireFloat64(resolved, leaves);
        if (!resolved.RequiresGrad)
        {
            throw new ArgumentException($"GradientCheck: output '{resolved.Name}' {resolved.Type} does not require a gradient, so there is nothing to check: no leaf with requiresGrad reaches it.", nameof(output));
        }

        GraphBuilder builder = GraphBuilder.Extend(graph);
        Value extended = builder.ValueAt(resolved.Id);
        Value loss = extended.Shape.Rank == 0
            ? extended
            : (extended * builder.Constant(Projection(extended.Shape, options.Seed), "gradient_check.u")).Sum();
        CompiledGraph compiled = GraphCompiler.Compile(builder.Build(), new CompileOptions { GradientRoots = [loss] });

        using var session = new Session(compiled);
        var inputs = new Dictionary<int, Tensor>();
        foreach ((Value input, Tensor value) in options.Inputs)
        {
            Value v = graph.Resolve(input);
            inputs[v.Id] = value.Clone();
            session.SetInput(compiled.Graph.Values[v.Id], inputs[v.Id]);
        }

        session.Forward();
        session.Backward();
        return new GradientCheckReport(leaves.Select(leaf => Compare(session, compiled, loss, leaf, inputs, options.Epsilon)).ToArray());
    }

    private static GradientError Compare(Session session, CompiledGraph compiled, Value loss, Value leaf, Dictionary<int, Tensor> inputs, double epsilon)
    {
        Value value = compiled.Graph.Values[leaf.Id];
        double[] analytic = session.Grad(value)?.ToDoubleArray() ?? new double[value.Shape.ElementCount];
        Tensor perturbed = leaf.Kind == ValueKind.Parameter
            ? session.ParameterValue(value)
            : inputs.TryGetValue(leaf.Id, out Tensor? fed) ? fed : throw new ArgumentException($"GradientCheck: input '{leaf.Name}' {leaf.Type} requires a gradient but has no value; add it to GradientCheckOptions.Inputs.");

        double maxAbsolute = 0, maxRelative = 0, maxScaled = -1, numericAtWorst = 0;
        int worst = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            double numeric = CentralDifference(session, loss, value, perturbed, i, epsilon);
            double error = Math.Abs(analytic[i] - numeric);
            double magnitude = Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric));
            double scaled = error / Math.Max(1, Math.Abs(numeric));
            maxAbsolute = Math.Max(maxAbsolute, error);
            maxRelative = Math.Max(maxRelative, magnitude == 0 ? 0 : error / magnitude);
            if (scaled > maxScaled || double.IsNaN(scaled))
            {
                (maxScaled, worst, numericAtWorst) = (double.IsNaN(scaled) ? double.PositiveInfinity : scaled, i, numeric);
            }
        }

        double analyticAtWorst = analytic.Length == 0 ? 0 : analytic[worst];
        return new GradientError(leaf.Name, maxAbsolute, maxRelative, Math.Max(0, maxScaled), worst, analyticAtWorst, numericAtWorst);
    }

    private static double CentralDifference(Session session, Value loss, Value value, Tensor perturbed, int i, double epsilon)
    {
        Span<double> x = perturbed.AsSpan<double>();
        double saved = x[i];
        x[i] = saved + epsilon;
        double plus = Evaluate(session, loss, value, perturbed);
        x[i] = saved - epsilon;
        double minus = Evaluate(session, loss, value, perturbed);
        x[i] = saved;
        if (value.Kind == ValueKind.Input)
        {
            session.SetInput(value, perturbed);
        }

        return (plus - minus) / (2 * epsilon);
    }

    private static double Evaluate(Session session, Value loss, Value value, Tensor perturbed)
    {
        if (value.Kind == ValueKind.Input)
        {
            session.SetInput(value, perturbed);
        }

        session.Forward();
        return session.Output(loss).Item();
    }

    private static void RequireFloat64(Value output, Value[] leaves)
    {
        foreach (Value v in leaves.Append(output))
        {
            if (v.DType != DType.Float64)
            {
                throw new ArgumentException($"GradientCheck runs in float64, but '{v.Name}' is {v.Type}: float32 rounding swamps the differences. Build the graph in float64 (DType.Float64 inputs, float64 parameter tensors).");
            }
        }
    }

    // Values in ±[0.05, 2], away from zero so that no output is projected out.
    private static Tensor Projection(Shape shape, int seed)
    {
        var random = new SeededRandom(seed);
        Tensor u = Tensor.Zeros(shape, DType.Float64);
        Span<double> values = u.AsSpan<double>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextDouble() < 0.5 ? -1 : 1) * (0.05 + (1.95 * random.NextDouble()));
        }

        return u;
    }
}
