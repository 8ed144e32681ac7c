using System.Runtime.CompilerServices;

namespace Graph.Core.Modules;

/// <summary>
/// Multi-head self-attention, as <c>torch.nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)</c> called
/// with the same tensor as query, key and value: x [batch, L, E] is projected by <c>in_proj_weight</c> [3E, E] and
/// <c>in_proj_bias</c> [3E] into q, k and v, split into heads of E / heads, attended with
/// <see cref="Ops.ScaledDotProductAttention"/> (causal on request: query i sees keys 0 … i, torch's
/// <c>attn_mask=nn.Transformer.generate_square_subsequent_mask(L)</c>), and the heads joined and projected by
/// <c>out_proj</c>. Parameter names and initialization are torch's: in_proj_weight xavier-uniform, both biases 0,
/// out_proj.weight as a Linear's.
/// </summary>
/// <remarks>
/// torch's attention-weight dropout is not applied: the fused attention kernel never materializes the weights
/// outside itself. A model with dropout gets it on the residual and feed-forward paths (<see cref="TransformerEncoderLayer"/>).
/// </remarks>
public sealed class MultiheadAttention : Module
{
    /// <summary>Declares <c>{name}.in_proj_weight</c>, <c>{name}.in_proj_bias</c>, <c>{name}.out_proj.weight</c> and <c>{name}.out_proj.bias</c>.</summary>
    public MultiheadAttention(ModuleBuilder nn, string name, int embedDim, int numHeads, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(nn);
        if (numHeads < 1 || embedDim % numHeads != 0)
        {
            throw new ArgumentException($"multihead_attention '{name}': embed_dim {embedDim} must be divisible by num_heads {numHeads}.", nameof(numHeads));
        }

        (EmbedDim, NumHeads) = (embedDim, numHeads);
        using (nn.Scope(name))
        {
            InProjWeight = nn.Parameter("in_proj_weight", nn.Uniform(new Shape(3 * embedDim, embedDim), Math.Sqrt(6.0 / (4 * embedDim))));
            InProjBias = bias ? nn.Parameter("in_proj_bias", Tensor.Zeros(new Shape(3 * embedDim), nn.DType)) : null;
            using (nn.Scope("out_proj"))
            {
                // torch's NonDynamicallyQuantizableLinear init for the weight, then _reset_parameters zeroes the bias.
                OutProjWeight = nn.Parameter("weight", nn.Uniform(new Shape(embedDim, embedDim), 1 / Math.Sqrt(embedDim)));
                OutProjBias = bias ? nn.Parameter("bias", Tensor.Zeros(new Shape(embedDim), nn.DType)) : null;
            }
        }
    }

    /// <summary>The model width E.</summary>
    public int EmbedDim { get; }

    /// <summary>The number of heads; each has width E / heads.</summary>
    public int NumHeads { get; }

    /// <summary>The packed q, k, v projection [3E, E].</summary>
    public Value InProjWeight { get; }

    /// <summary>The packed q, k, v bias [3E], or null.</summary>
    public Value? InProjBias { get; }

    /// <summary>The output projection's weight [E, E].</summary>
    public Value OutProjWeight { get; }

    /// <summary>The output projection's bias [E], or null.</summary>
    public Value? OutProjBias { get; }

    /// <summary>Self-attention without a mask.</summary>
    protected override Value Build(Value x) => Forward(x, causal: false);

    /// <summary>Self-attention of x [batch, L, E] (batch_first), causal when <paramref name="causal"/>; gives [batch, L, E].</summary>
    /// <param name="x">The input.</param>
    /// <param name="causal">Whether position i attends only to positions up to i.</param>
    /// <param name="sourceFile">The caller's file, filled in by the compiler (<see cref="Value.Source"/>).</param>
    /// <param name="sourceLine">The caller's line, filled in by the compiler.</param>
    public Value Forward(Value x, bool causal, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        using GraphBuilder.SourceScope source = x.Builder.At(sourceFile, sourceLine);
        if (x.Shape.Rank != 3 || x.Shape[2] != EmbedDim || x.Shape[1] < 0)
        {
            throw new GraphBuildException($"multihead_attention: the input '{x.Name}' {x.Type} must be [batch, length, {EmbedDim}] (batch_first) with a fixed length.");
        }

        int length = x.Shape[1];
        int headDim = EmbedDim / NumHeads;
        Value[] qkv = Ops.Chunk(Ops.Linear(x, InProjWeight, InProjBias), 3, axis: -1);
        Value Heads(Value t) => t.Reshape(-1, length, NumHeads, headDim).Transpose(1, 2);
        Value attended = Ops.ScaledDotProductAttention(Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]), causal);
        return Ops.Linear(attended.Transpose(1, 2).Reshape(-1, length, EmbedDim), OutProjWeight, OutProjBias);
    }

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() =>
        new[] { InProjWeight, InProjBias, OutProjWeight, OutProjBias }.OfType<Value>();
}
