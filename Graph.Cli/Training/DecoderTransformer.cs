using Graph.Core;
using Graph.Core.Modules;

namespace Graph.Cli.Training;

/// <summary>
/// A GPT-style decoder-only transformer (minGPT's gpt-nano by default: 3 blocks, 3 heads, width 48): token and
/// position embeddings, pre-norm causal <see cref="TransformerEncoderLayer"/> blocks with a 4× GELU MLP, a final
/// LayerNorm, and a head that shares the token embedding's weight (weight tying). Embeddings start N(0, 0.02²) as
/// GPT-2's do, so the tied head's first logits are near 0.
/// </summary>
internal sealed class DecoderTransformer : Module
{
    private readonly Embedding _tokens;
    private readonly Value _positions;
    private readonly TransformerEncoderLayer[] _blocks;
    private readonly LayerNorm _finalNorm;

    /// <summary>Declares <c>tok_emb.weight</c>, <c>pos_emb.weight</c>, <c>blocks.{i}.*</c> and <c>ln_f.*</c>.</summary>
    public DecoderTransformer(ModuleBuilder nn, int vocabulary, int contextLength, int width = 48, int heads = 3, int layers = 3)
    {
        _tokens = new Embedding(nn, "tok_emb", vocabulary, width, std: 0.02);

        // Every position 0 … L − 1 is used in order, so the position "lookup" is the whole table, added by broadcasting.
        _positions = new Embedding(nn, "pos_emb", contextLength, width, std: 0.02).Weight;
        using (nn.Scope("blocks"))
        {
            _blocks = Enumerable.Range(0, layers)
                .Select(i => new TransformerEncoderLayer(nn, $"{i}", width, heads, 4 * width, dropout: 0, activation: Activation, normFirst: true))
                .ToArray();
        }

        _finalNorm = new LayerNorm(nn, "ln_f", width);
    }

    /// <summary>The MLP's activation.</summary>
    public static Func<Value, Value> Activation { get; } = TransformerEncoderLayer.Gelu;

    /// <summary>Logits [batch, L, vocabulary] of int64 tokens [batch, L]; position i sees tokens 0 … i only.</summary>
    protected override Value Build(Value x)
    {
        Value h = _tokens.Forward(x) + _positions;
        foreach (TransformerEncoderLayer block in _blocks)
        {
            h = block.Forward(h, causal: true);
        }

        return Ops.Linear(_finalNorm.Forward(h), _tokens.Weight, null);
    }

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() =>
        [.. _tokens.Parameters(), _positions, .. _blocks.SelectMany(b => b.Parameters()), .. _finalNorm.Parameters()];
}
