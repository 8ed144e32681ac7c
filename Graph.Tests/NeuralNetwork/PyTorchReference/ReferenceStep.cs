using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;
using Graph.Runtime;
using Graph.Serialization;

namespace Graph.Tests.NeuralNetwork.PyTorchReference;

/// <summary>
/// The training step of tools/pytorch/resnet18_reference.py run in Graph from the reference's own parameters:
/// prediction, loss = (prediction − labels).Sum(), backward, one Sgd(lr 1e-2, momentum 0.9) step; every
/// result compared with the reference file's, tensor by tensor.
/// </summary>
internal static class ReferenceStep
{
    /// <summary>
    /// Builds the model with <paramref name="build"/> in training mode, runs the step on the reference's input,
    /// and compares; fails naming every tensor out of tolerance, and prints the worst error of each kind of tensor.
    /// </summary>
    public static void Run(IReadOnlyDictionary<string, Tensor> reference, DType dtype, Func<ModuleBuilder, Module> build, ReferenceTolerances tolerances)
    {
        var g = new GraphBuilder();
        Module model = build(new ModuleBuilder(g, seed: 0, training: true, dtype));
        Value input = g.Input("input", reference["input"].Shape, dtype);
        Value labels = g.Input("labels", reference["labels"].Shape, dtype);
        Value prediction = model.Forward(input).Named("prediction");
        Value loss = (prediction - labels).Sum().Named("loss");
        using var session = new Session(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss], Outputs = [prediction] }));

        // param/ holds PyTorch's named_parameters; the running statistics are buffers and start at PyTorch's 0 and 1 here too.
        WeightLoadResult loaded = SessionWeights.Load(session, reference, strict: false, prefix: "param/");
        string[] runningStatistics = session.Parameters.Where(p => !p.RequiresGrad).Select(p => p.Name).ToArray();
        CollectionAssert.AreEquivalent(runningStatistics, loaded.Missing.ToArray(), "only the running statistics are missing from param/");
        Assert.IsEmpty(loaded.Unexpected, "every PyTorch parameter has a Graph parameter of the same name");
        CollectionAssert.AreEquivalent(
            KeysUnder(reference, "buffer/").Where(k => !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToArray(),
            runningStatistics,
            "the running statistics are PyTorch's buffers");

        session.SetInput(input, reference["input"]);
        session.SetInput(labels, reference["labels"]);
        session.Forward();
        session.Backward(loss);

        var comparison = new ReferenceComparison();
        comparison.Compare("prediction", "prediction", session.Output(prediction), reference["prediction"], tolerances.Values);
        comparison.Compare("loss", "loss", session.Output(loss), reference["loss"], tolerances.Values);
        foreach (string name in runningStatistics)
        {
            comparison.Compare("running statistics", name, session.ParameterValue(session.Graph.Find(name)), reference[$"buffer/{name}"], tolerances.Values);
        }

        Value[] trained = session.Parameters.Where(p => p.RequiresGrad).ToArray();
        CollectionAssert.AreEquivalent(KeysUnder(reference, "grad/").ToArray(), trained.Select(p => p.Name).ToArray(), "every parameter PyTorch trains, and only those, requires a gradient");
        foreach (Value p in trained)
        {
            comparison.Compare("gradients", p.Name, session.Grad(p), reference[$"grad/{p.Name}"], tolerances.Gradients);
        }

        new Sgd(session, 1e-2, momentum: 0.9).Step();
        foreach (Value p in trained)
        {
            comparison.Compare("updated parameters", p.Name, session.ParameterValue(p), reference[$"updated/{p.Name}"], tolerances.Gradients);
        }

        Console.WriteLine(comparison);
        comparison.AssertWithinTolerance();
    }

    private static IEnumerable<string> KeysUnder(IReadOnlyDictionary<string, Tensor> reference, string prefix) =>
        reference.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]);
}
