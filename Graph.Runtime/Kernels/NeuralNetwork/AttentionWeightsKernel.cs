using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// attention_weights: per batch (every axis but the last two) one GEMM writes the scores q·kᵀ straight into the
/// output, then each row is scaled, cut to its causal length (the mask is never stored: entries past the row's length
/// are set to 0) and softmaxed in place. The GEMMs split their tiles on the session's threads; the rows then run in
/// fixed groups, so the result is the same for any thread count.
/// </summary>
internal sealed class AttentionWeightsKernel<T> : Kernel, IItemKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly KernelContext _context;
    private readonly Tensor _q;
    private readonly Tensor _k;
    private readonly Tensor _p;
    private readonly bool _causal;
    private readonly int _batches;
    private readonly int _l;
    private readonly int _s;
    private readonly int _e;
    private readonly T _scale;
    private readonly int _rowsPerPart;

    public AttentionWeightsKernel(KernelBinding b)
        : base(b.Node)
    {
        (_context, _q, _k, _p) = (b.Context, b.Input(0), b.Input(1), b.Output);
        _causal = (bool)b.Node.Attributes.Values["causal"];
        (_l, _e, _s) = (_q.Shape[^2], _q.Shape[^1], _k.Shape[^2]);
        long rows = _l == 0 ? 0 : _p.ElementCount / Math.Max(1, _s);
        _batches = _l == 0 ? 0 : checked((int)(rows / _l));
        _scale = T.One / T.Sqrt(T.CreateChecked(_e));
        _rowsPerPart = FixedParts.ItemsPerPart(_s);
    }

    public override void Run()
    {
        ReadOnlySpan<T> q = _q.AsSpan<T>();
        ReadOnlySpan<T> k = _k.AsSpan<T>();
        Span<T> p = _p.AsSpan<T>();
        for (int b = 0; b < _batches; b++)
        {
            MatrixMultiply.Multiply(_context, false, true, _l, _s, _e, q.Slice(b * _l * _e, _l * _e), _e, k.Slice(b * _s * _e, _s * _e), _e, p.Slice(b * _l * _s, _l * _s), _s, accumulate: false);
        }

        FixedParts.RunItems(_context.Team, this, _batches * _l, _rowsPerPart);
    }

    /// <summary>Scales, masks and softmaxes rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of [batches·L].</summary>
    public void RunItems(int first, int count)
    {
        Span<T> p = _p.AsSpan<T>();
        for (int r = first; r < first + count; r++)
        {
            Span<T> row = p.Slice(r * _s, _s);
            int length = _causal ? Math.Min(_s, (r % _l) + 1) : _s;
            Span<T> live = row[..length];
            row[length..].Clear();
            if (length == 0)
            {
                continue;
            }

            TensorPrimitives.Multiply(live, _scale, live);
            TensorPrimitives.Subtract(live, TensorPrimitives.Max<T>(live), live);
            TensorPrimitives.Exp<T>(live, live);
            TensorPrimitives.Divide(live, TensorPrimitives.Sum<T>(live), live);
        }
    }
}

/// <summary>
/// attention_weights_backward: dS = scale·P ⊙ (dP − Σ_j dP ⊙ P) per row, in place in the output, rows in fixed groups.
/// </summary>
internal sealed class AttentionWeightsBackwardKernel<T> : Kernel, IItemKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor _grad;
    private readonly Tensor _p;
    private readonly Tensor _ds;
    private readonly int _s;
    private readonly int _rows;
    private readonly T _scale;
    private readonly Execution.WorkerTeam _team;
    private readonly int _rowsPerPart;

    public AttentionWeightsBackwardKernel(KernelBinding b)
        : base(b.Node)
    {
        (_grad, _p, _ds) = (b.Input(0), b.Input(1), b.Output);
        _s = _p.Shape[^1];
        _rows = _s == 0 ? 0 : checked((int)(_p.ElementCount / _s));
        _scale = T.CreateChecked((double)b.Node.Attributes.Values["scale"]);
        _team = b.Context.Team;
        _rowsPerPart = FixedParts.ItemsPerPart(2L * _s);
    }

    public override void Run() => FixedParts.RunItems(_team, this, _rows, _rowsPerPart);

    public void RunItems(int first, int count)
    {
        ReadOnlySpan<T> grad = _grad.AsSpan<T>();
        ReadOnlySpan<T> p = _p.AsSpan<T>();
        Span<T> ds = _ds.AsSpan<T>();
        for (int r = first; r < first + count; r++)
        {
            ReadOnlySpan<T> g = grad.Slice(r * _s, _s), pr = p.Slice(r * _s, _s);
            Span<T> row = ds.Slice(r * _s, _s);
            T dot = TensorPrimitives.Dot(g, pr);
            TensorPrimitives.Subtract(g, dot, row);
            TensorPrimitives.Multiply(row, pr, row);
            TensorPrimitives.Multiply(row, _scale, row);
        }
    }
}

/// <summary>Picks the attention kernels by dtype.</summary>
internal static class AttentionWeightsKernel
{
    public static Kernel Create(KernelBinding b) => b.IsFloat32 ? new AttentionWeightsKernel<float>(b) : new AttentionWeightsKernel<double>(b);

    public static Kernel Backward(KernelBinding b) => b.IsFloat32 ? new AttentionWeightsBackwardKernel<float>(b) : new AttentionWeightsBackwardKernel<double>(b);
}
