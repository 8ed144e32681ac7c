using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Memory;

/// <summary>A memory budget on a graph with two gradient roots: each root's backward pass recomputes its own branch.</summary>
public sealed partial class RematerializationTests
{
    [TestMethod]
    public void TwoGradientRoots_BudgetBelowTheArena_FitsAndEachRootsGradientsAreBitwiseTheUnbudgetedOnes()
    {
        (ComputeGraph graph, Value x, Value[] roots) = TwoHeadedMlp();
        CompiledGraph unbudgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = roots });
        long budget = unbudgeted.Memory.ArenaBytes * 9 / 10;
        CompiledGraph budgeted = GraphCompiler.Compile(graph, new CompileOptions { GradientRoots = roots, MemoryBudgetBytes = budget });

        Console.WriteLine($"two roots: arena {unbudgeted.Memory.ArenaBytes:N0} B unbudgeted, {budgeted.Memory.ArenaBytes:N0} B under a budget of {budget:N0} B");
        Assert.IsLessThanOrEqualTo(budget, budgeted.Memory.ArenaBytes);
        Assert.HasCount(2, budgeted.Backward);
        foreach (BackwardPlan plan in budgeted.Backward)
        {
            Assert.IsTrue(plan.Tape.Steps.Any(v => v.Name.Contains(".recompute", StringComparison.Ordinal)), $"the backward pass of {plan.Root.Name} recomputes");
        }

        Tensor data = Tensor.Rand(new Shape(64, 256), 1);
        float[] reference = GradientsOfEachRoot(unbudgeted, x, data);
        float[] recomputed = GradientsOfEachRoot(budgeted, x, data);
        Assert.HasCount(reference.Length, recomputed);
        for (int i = 0; i < reference.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(reference[i]) != BitConverter.SingleToInt32Bits(recomputed[i]))
            {
                Assert.Fail($"Element {i} of the gradients differs: {reference[i]:R} unbudgeted, {recomputed[i]:R} with recomputation.");
            }
        }
    }

    // Each root's backward pass alone (ZeroGrad between), then both in a row: every gradient of every parameter.
    private static float[] GradientsOfEachRoot(CompiledGraph compiled, Value x, Tensor data)
    {
        using var session = new Session(compiled);
        session.SetInput(x, data);
        session.Forward();
        var result = new List<float>();
        void Collect()
        {
            foreach (Value p in session.Parameters)
            {
                result.AddRange(session.Grad(p)?.ToArray<float>() ?? []);
            }
        }

        foreach (Value root in compiled.GradientRoots)
        {
            session.ZeroGrad();
            session.Backward(root);
            Collect();
        }

        session.ZeroGrad();
        foreach (Value root in compiled.GradientRoots)
        {
            session.Backward(root);
        }

        Collect();
        return [.. result];
    }

    // A shared first layer, then two heads of three ReLU layers each, with a loss each: the heads' activations are read
    // by one root's backward pass only, so each can be recomputed there.
    private static (ComputeGraph Graph, Value Input, Value[] Roots) TwoHeadedMlp()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(64, 256));
        int seed = 1;
        Value Layer(Value input, string name, int inputs, int outputs) =>
            Ops.Linear(input, g.Parameter($"{name}.weight", TestModels.Uniform(new Shape(outputs, inputs), 0.1, seed: seed++)), g.Parameter($"{name}.bias", TestModels.Uniform(new Shape(outputs), 0.1, seed: seed++))).Relu();

        Value trunk = Layer(x, "trunk", 256, 512);
        Value[] roots = new Value[2];
        for (int head = 0; head < 2; head++)
        {
            Value h = trunk;
            for (int layer = 0; layer < 3; layer++)
            {
                h = Layer(h, $"head{head}.fc{layer}", 512, 512);
            }

            roots[head] = (h * h).Mean().Named($"loss{head}");
        }

        return (g.Build(), x, roots);
    }
}
