using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;
using Graph.Data;

namespace Graph.Cli.Training;

/// <summary>
/// A compiled image classifier for one batch size, or any (-1): input <see cref="ImagesName"/> <c>[batch, C, H, W]</c>, output
/// <see cref="LogitsName"/> <c>[batch, classes]</c>, and for training also <see cref="LabelsName"/> and the
/// cross-entropy <see cref="LossName"/>. The names are what a saved file is used by.
/// </summary>
internal sealed class ClassifierGraph
{
    /// <summary>The images input's name.</summary>
    public const string ImagesName = "images";

    /// <summary>The labels input's name (training graphs only).</summary>
    public const string LabelsName = "labels";

    /// <summary>The logits output's name.</summary>
    public const string LogitsName = "logits";

    /// <summary>The loss's name (training graphs only).</summary>
    public const string LossName = "loss";

    private ClassifierGraph(CompiledGraph compiled, Value images, Value logits, Value? labels, Value? loss)
    {
        (Compiled, Images, Logits, Labels, Loss) = (compiled, images, logits, labels, loss);
    }

    /// <summary>The compiled graph.</summary>
    public CompiledGraph Compiled { get; }

    /// <summary>The images input.</summary>
    public Value Images { get; }

    /// <summary>The logits output.</summary>
    public Value Logits { get; }

    /// <summary>The labels input, or null in an evaluation graph.</summary>
    public Value? Labels { get; }

    /// <summary>The mean cross-entropy, the gradient root, or null in an evaluation graph.</summary>
    public Value? Loss { get; }

    /// <summary>
    /// Builds and compiles <paramref name="recipe"/>'s model for images shaped like <paramref name="data"/>'s. Graphs
    /// built with the same seed have the same parameter names and initial values, so a training graph and an
    /// evaluation graph can exchange parameters by name.
    /// </summary>
    /// <param name="recipe">The model.</param>
    /// <param name="data">Gives the image shape and the number of classes.</param>
    /// <param name="batchSize">Examples per run; <see cref="Shape.Dynamic"/> (-1) for any number (evaluation graphs).</param>
    /// <param name="seed">Seeds the initial parameters.</param>
    /// <param name="training">A training graph (batch statistics, loss, backward plan) or an evaluation graph.</param>
    public static ClassifierGraph Build(TrainingRecipe recipe, Dataset data, int batchSize, int seed, bool training)
    {
        var g = new GraphBuilder();
        Module model = recipe.Model(new ModuleBuilder(g, seed, training), data.Classes);
        Value images = g.Input(ImagesName, new Shape(batchSize, data.Channels, data.Height, data.Width));
        Value logits = model.Forward(images).Named(LogitsName);
        if (!training)
        {
            return new ClassifierGraph(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [logits] }), images, logits, null, null);
        }

        Value labels = g.Input(LabelsName, new Shape(batchSize), DType.Int64);
        Value loss = Ops.CrossEntropy(logits, labels).Named(LossName);
        var options = new CompileOptions { Outputs = [logits], GradientRoots = [loss] };
        return new ClassifierGraph(GraphCompiler.Compile(g.Build(), options), images, logits, labels, loss);
    }
}
