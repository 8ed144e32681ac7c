namespace Graph.Core.Modules;

/// <summary>
/// A lookup table of <c>[num_embeddings, embedding_dim]</c> rows picked by int64 indices, as <c>torch.nn.Embedding</c>:
/// <c>{name}.weight</c> initialized N(0, 1) as PyTorch does (or N(0, std²), as GPT-style models initialize it).
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>Declares <c>{name}.weight</c> [<paramref name="numEmbeddings"/>, <paramref name="embeddingDim"/>], normal with standard deviation <paramref name="std"/>.</summary>
    public Embedding(ModuleBuilder nn, string name, int numEmbeddings, int embeddingDim, double std = 1)
    {
        ArgumentNullException.ThrowIfNull(nn);
        using (nn.Scope(name))
        {
            Weight = nn.Parameter("weight", nn.Normal(new Shape(numEmbeddings, embeddingDim), std));
        }
    }

    /// <summary>The table [num_embeddings, embedding_dim]; a weight-tied output layer uses it as its weight too.</summary>
    public Value Weight { get; }

    /// <summary>The rows of <paramref name="indices"/> (int64, any shape), giving <c>[indices..., embedding_dim]</c>.</summary>
    protected override Value Build(Value indices) => Ops.Embedding(indices, Weight);

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() => [Weight];
}
