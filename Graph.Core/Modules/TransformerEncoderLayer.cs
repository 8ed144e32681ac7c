using System.Runtime.CompilerServices;

namespace Graph.Core.Modules;

/// <summary>
/// One transformer encoder block, as <c>torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout,
/// activation, batch_first=True, norm_first)</c>, with its state_dict names: <c>self_attn.*</c>, <c>linear1</c>,
/// <c>linear2</c>, <c>norm1</c>, <c>norm2</c>. Post-norm (torch's default) computes
/// <c>x = norm1(x + sa(x)); x = norm2(x + ff(x))</c>; pre-norm (<c>normFirst</c>)
/// <c>x = x + sa(norm1(x)); x = x + ff(norm2(x))</c>, where <c>sa</c> is self-attention followed by dropout and
/// <c>ff(x) = dropout(linear2(dropout(activation(linear1(x)))))</c>.
/// </summary>
/// <remarks>See <see cref="MultiheadAttention"/> on attention-weight dropout, which is not applied.</remarks>
public sealed class TransformerEncoderLayer : Module
{
    private readonly Func<Value, Value> _activation;
    private readonly Dropout _dropout;
    private readonly Dropout _dropout1;
    private readonly Dropout _dropout2;

    /// <summary>Declares the block's parameters under <paramref name="name"/> (<c>layers.0</c>; <c>""</c> for a block at the root).</summary>
    /// <param name="nn">Where the parameters go.</param>
    /// <param name="name">The block's scope.</param>
    /// <param name="dModel">The model width.</param>
    /// <param name="nhead">Attention heads; must divide <paramref name="dModel"/>.</param>
    /// <param name="dimFeedforward">The feed-forward layer's width (torch's default 2048).</param>
    /// <param name="dropout">The dropout probability of the three dropouts (torch's default 0.1).</param>
    /// <param name="activation">The feed-forward activation: <see cref="Relu"/> (torch's default) when null, <see cref="Gelu"/>, or any function of a value.</param>
    /// <param name="normFirst">Pre-norm instead of post-norm.</param>
    /// <param name="layerNormEps">The layer norms' eps.</param>
    public TransformerEncoderLayer(
        ModuleBuilder nn,
        string name,
        int dModel,
        int nhead,
        int dimFeedforward = 2048,
        double dropout = 0.1,
        Func<Value, Value>? activation = null,
        bool normFirst = false,
        double layerNormEps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(nn);
        (_activation, NormFirst) = (activation ?? Relu, normFirst);
        using (nn.Scope(name))
        {
            // The order is torch's __init__ order, so the state_dict lists the names in the same order.
            SelfAttention = new MultiheadAttention(nn, "self_attn", dModel, nhead);
            Linear1 = new Linear(nn, "linear1", dModel, dimFeedforward);
            _dropout = new Dropout(nn, dropout);
            Linear2 = new Linear(nn, "linear2", dimFeedforward, dModel);
            Norm1 = new LayerNorm(nn, "norm1", dModel, layerNormEps);
            Norm2 = new LayerNorm(nn, "norm2", dModel, layerNormEps);
            _dropout1 = new Dropout(nn, dropout);
            _dropout2 = new Dropout(nn, dropout);
        }
    }

    /// <summary>torch's <c>activation="relu"</c>.</summary>
    public static Func<Value, Value> Relu { get; } = x => x.Relu();

    /// <summary>torch's <c>activation="gelu"</c>: the exact erf form.</summary>
    public static Func<Value, Value> Gelu { get; } = x => x.Gelu();

    /// <summary>Whether the block is pre-norm.</summary>
    public bool NormFirst { get; }

    /// <summary>The self-attention, <c>self_attn</c>.</summary>
    public MultiheadAttention SelfAttention { get; }

    /// <summary>The first feed-forward layer [d_model → dim_feedforward].</summary>
    public Linear Linear1 { get; }

    /// <summary>The second feed-forward layer [dim_feedforward → d_model].</summary>
    public Linear Linear2 { get; }

    /// <summary>The norm around the attention.</summary>
    public LayerNorm Norm1 { get; }

    /// <summary>The norm around the feed-forward layers.</summary>
    public LayerNorm Norm2 { get; }

    /// <summary>The block without a mask.</summary>
    protected override Value Build(Value x) => Forward(x, causal: false);

    /// <summary>The block on x [batch, L, d_model], its attention causal when <paramref name="causal"/> (torch's square subsequent mask).</summary>
    /// <param name="x">The input.</param>
    /// <param name="causal">Whether position i attends only to positions up to i.</param>
    /// <param name="sourceFile">The caller's file, filled in by the compiler (<see cref="Value.Source"/>).</param>
    /// <param name="sourceLine">The caller's line, filled in by the compiler.</param>
    public Value Forward(Value x, bool causal, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        using GraphBuilder.SourceScope source = x.Builder.At(sourceFile, sourceLine);
        Value Attend(Value h) => _dropout1.Forward(SelfAttention.Forward(h, causal));
        Value FeedForward(Value h) => _dropout2.Forward(Linear2.Forward(_dropout.Forward(_activation(Linear1.Forward(h)))));
        if (NormFirst)
        {
            x += Attend(Norm1.Forward(x));
            return x + FeedForward(Norm2.Forward(x));
        }

        x = Norm1.Forward(x + Attend(x));
        return Norm2.Forward(x + FeedForward(x));
    }

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() =>
        [.. SelfAttention.Parameters(), .. Linear1.Parameters(), .. Linear2.Parameters(), .. Norm1.Parameters(), .. Norm2.Parameters()];
}
