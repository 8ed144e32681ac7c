using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Dynamic;

/// <summary>The models the dynamic-batch tests build at batch -1 and at each concrete batch, with their data.</summary>
internal static class DynamicModels
{
    /// <summary>A model with its inputs and loss; built again for each batch, with the same parameters.</summary>
    public sealed record Model(CompiledGraph Graph, Value Images, Value Labels, Value Loss, Value Logits);

    /// <summary>A 12-16-10 perceptron with ReLU and cross-entropy, at <paramref name="batch"/> (-1: dynamic).</summary>
    public static Model Mlp(int batch)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(batch, 12));
        Value labels = g.Input("labels", new Shape(batch), DType.Int64);
        Value hidden = Ops.Linear(x, g.Parameter("fc1.weight", TestModels.Uniform(new Shape(16, 12), 0.3, seed: 1)), g.Parameter("fc1.bias", TestModels.Uniform(new Shape(16), 0.3, seed: 2))).Relu();
        Value logits = Ops.Linear(hidden, g.Parameter("fc2.weight", TestModels.Uniform(new Shape(10, 16), 0.25, seed: 3)), g.Parameter("fc2.bias", TestModels.Uniform(new Shape(10), 0.25, seed: 4))).Named("logits");
        return Compiled(g, x, labels, logits);
    }

    /// <summary>conv 3→4 (3×3, padding 1), batch norm in training mode, ReLU, 2×2 max pool, flatten, linear to 10 classes, cross-entropy.</summary>
    public static Model Cnn(int batch)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(batch, 3, 8, 8));
        Value labels = g.Input("labels", new Shape(batch), DType.Int64);
        Value conv = Ops.Conv2d(x, g.Parameter("conv.weight", Tensor.Randn(new Shape(4, 3, 3, 3), seed: 1)), g.Parameter("conv.bias", Tensor.Randn(new Shape(4), seed: 2)), padding: 1);
        Value normalized = Ops.BatchNorm2d(
            conv,
            g.Parameter("bn.weight", Tensor.Ones(new Shape(4))),
            g.Parameter("bn.bias", Tensor.Zeros(new Shape(4))),
            g.Parameter("bn.running_mean", Tensor.Zeros(new Shape(4)), requiresGrad: false),
            g.Parameter("bn.running_var", Tensor.Ones(new Shape(4)), requiresGrad: false),
            training: true);
        Value features = Ops.MaxPool2d(normalized.Relu(), 2).Flatten(1);
        Value logits = Ops.Linear(features, g.Parameter("fc.weight", TestModels.Uniform(new Shape(10, 64), 0.125, seed: 3)), g.Parameter("fc.bias", Tensor.Zeros(new Shape(10)))).Named("logits");
        return Compiled(g, x, labels, logits);
    }

    /// <summary>Images of the model's input shape with <paramref name="batch"/> rows, and labels, drawn from <paramref name="seed"/>.</summary>
    public static (Tensor Images, Tensor Labels) Batch(Model model, int batch, int seed)
    {
        int[] dims = model.Images.Shape.ToArray();
        dims[0] = batch;
        Tensor images = Tensor.Randn(new Shape(dims), seed);
        var labels = new long[batch];
        var random = new Random(seed);
        for (int i = 0; i < batch; i++)
        {
            labels[i] = random.Next(10);
        }

        return (images, Tensor.FromArray(labels, batch));
    }

    /// <summary>Sets the batch and runs the forward pass.</summary>
    public static void Forward(Session session, Model model, (Tensor Images, Tensor Labels) batch)
    {
        session.SetInput(model.Images, batch.Images);
        session.SetInput(model.Labels, batch.Labels);
        session.Forward();
    }

    private static Model Compiled(GraphBuilder g, Value images, Value labels, Value logits)
    {
        Value loss = Ops.CrossEntropy(logits, labels).Named("loss");
        return new Model(GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss], Outputs = [logits] }), images, labels, loss, logits);
    }
}
