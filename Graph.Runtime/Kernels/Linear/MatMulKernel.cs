using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// matmul: for every index of the broadcast batch axes, one op(A) [M, K] · op(B) [K, N] product. 1-D operands are
/// read as [1, K] and [K, 1]; a transposed operand is handed to the GEMM as stored, with its flag; the batch
/// offsets of each operand come from a strided layout over the batch axes.
/// </summary>
internal sealed class MatMulKernel<T> : Kernel
    where T : unmanaged, INumber<T>
{
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly Tensor _c;
    private readonly KernelContext _context;
    private readonly int _m;
    private readonly int _k;
    private readonly int _n;
    private readonly bool _transA;
    private readonly bool _transB;
    private readonly int _batches;
    private readonly StridedLayout _batchLayout;
    private readonly Execution.GradientBuffer? _addInto;

    internal MatMulKernel(KernelBinding binding)
        : base(binding.Node)
    {
        (_a, _b, _c, _context, _addInto) = (binding.Input(0), binding.Input(1), binding.Output, binding.Context, binding.AddInto);
        _transA = Graph.Core.Operations.MatMul.IsTransposed(binding.Node.Attributes, 0);
        _transB = Graph.Core.Operations.MatMul.IsTransposed(binding.Node.Attributes, 1);
        (Shape a, Shape b) = Graph.Core.Operations.MatMul.AsMatrices(_a.Shape, _b.Shape, _transA, _transB);
        (_m, _k, _n) = (a[^2], a[^1], b[^1]);
        var batchA = new Shape(a.Dims[..^2]);
        var batchB = new Shape(b.Dims[..^2]);
        Shape batch = BroadcastShape(batchA, batchB);
        _batches = (int)batch.ElementCount;
        int[] stridesA = StridedLayout.BroadcastStrides(batchA, batch).Select(s => s * _m * _k).ToArray();
        int[] stridesB = StridedLayout.BroadcastStrides(batchB, batch).Select(s => s * _k * _n).ToArray();
        _batchLayout = StridedLayout.Create(batch, stridesA, stridesB);
    }

    public override void Run()
    {
        ReadOnlySpan<T> a = _a.AsSpan<T>();
        ReadOnlySpan<T> b = _b.AsSpan<T>();
        Span<T> c = _c.AsSpan<T>();
        int inner = _batchLayout.InnerLength;
        bool accumulate = KernelBinding.BeginAccumulation(_addInto);
        for (int batch = 0; batch < _batches; batch++)
        {
            int run = batch / inner;
            int i = batch % inner;
            int oa = _batchLayout.Offset(0, run) + (i * _batchLayout.InnerStride(0));
            int ob = _batchLayout.Offset(1, run) + (i * _batchLayout.InnerStride(1));
            // A stored transposed is [K, M], so its rows are M long; likewise B stored transposed is [N, K].
            MatrixMultiply.Multiply(_context, _transA, _transB, _m, _n, _k, a.Slice(oa, _m * _k), _transA ? _m : _k, b.Slice(ob, _k * _n), _transB ? _k : _n, c.Slice(batch * _m * _n, _m * _n), _n, accumulate);
        }
    }

    private static Shape BroadcastShape(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= a.Rank ? a[^i] : 1;
            int db = i <= b.Rank ? b[^i] : 1;
            dims[^i] = Math.Max(da, db);
        }

        return new Shape(dims);
    }
}

/// <summary>Picks <see cref="MatMulKernel{T}"/> by dtype.</summary>
internal static class MatMulKernel
{
    public static Kernel Create(KernelBinding b) => b.IsFloat32 ? new MatMulKernel<float>(b) : new MatMulKernel<double>(b);
}
