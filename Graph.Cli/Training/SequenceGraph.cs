using Graph.Compiler;
using Graph.Core;
using Graph.Core.Modules;

namespace Graph.Cli.Training;

/// <summary>
/// The compiled sorting transformer for one batch size: input <see cref="TokensName"/> int64 <c>[batch, 11]</c>,
/// output <see cref="LogitsName"/> <c>[batch, 11, 3]</c>, and for training also <see cref="TargetsName"/>
/// <c>[batch, 6]</c> and the cross-entropy <see cref="LossName"/> of the answer positions (5 to 10) only, as minGPT
/// masks the input's positions out of its loss.
/// </summary>
internal sealed class SequenceGraph
{
    /// <summary>The tokens input's name.</summary>
    public const string TokensName = "tokens";

    /// <summary>The targets input's name (training graphs only).</summary>
    public const string TargetsName = "targets";

    /// <summary>The logits output's name.</summary>
    public const string LogitsName = "logits";

    /// <summary>The loss's name (training graphs only).</summary>
    public const string LossName = "loss";

    private SequenceGraph(CompiledGraph compiled, Value tokens, Value logits, Value? targets, Value? loss) =>
        (Compiled, Tokens, Logits, Targets, Loss) = (compiled, tokens, logits, targets, loss);

    /// <summary>The compiled graph.</summary>
    public CompiledGraph Compiled { get; }

    /// <summary>The tokens input.</summary>
    public Value Tokens { get; }

    /// <summary>The logits output.</summary>
    public Value Logits { get; }

    /// <summary>The targets input, or null in an evaluation graph.</summary>
    public Value? Targets { get; }

    /// <summary>The mean cross-entropy over the answer positions, or null in an evaluation graph.</summary>
    public Value? Loss { get; }

    /// <summary>Builds and compiles the model; graphs of one seed have the same parameter names and initial values.</summary>
    public static SequenceGraph Build(int batchSize, int seed, bool training)
    {
        var g = new GraphBuilder();
        var model = new DecoderTransformer(new ModuleBuilder(g, seed, training), SortTask.Digits, SortTask.ContextLength);
        Value tokens = g.Input(TokensName, new Shape(batchSize, SortTask.ContextLength), DType.Int64);
        Value logits = model.Forward(tokens).Named(LogitsName);
        if (!training)
        {
            return new SequenceGraph(GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [logits] }), tokens, logits, null, null);
        }

        Value targets = g.Input(TargetsName, new Shape(batchSize, SortTask.Length), DType.Int64);
        Value answers = Ops.Slice(logits, 1, SortTask.Length - 1, SortTask.ContextLength).Reshape(-1, SortTask.Digits);
        Value loss = Ops.CrossEntropy(answers, targets.Reshape(-1)).Named(LossName);
        var options = new CompileOptions { Outputs = [logits], GradientRoots = [loss] };
        return new SequenceGraph(GraphCompiler.Compile(g.Build(), options), tokens, logits, targets, loss);
    }
}
