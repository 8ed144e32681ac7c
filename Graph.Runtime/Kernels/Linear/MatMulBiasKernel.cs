using System.Numerics;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// matmul → add of a bias row → optionally relu, as one kernel (a linear layer, see <see cref="EpilogueRuns"/>): the
/// GEMM adds the bias and applies the ReLU to each block of the product on the thread that computed it, while the
/// block is in that core's cache (<see cref="BiasEpilogue{T}"/>), and writes the last step's tensor; the
/// intermediates are never written. Bitwise the result of the separate steps.
/// </summary>
internal sealed unsafe class MatMulBiasKernel<T> : Kernel
    where T : unmanaged, INumber<T>
{
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly Tensor _bias;
    private readonly Tensor _y;
    private readonly KernelContext _context;
    private readonly bool _transA;
    private readonly bool _transB;
    private readonly bool _relu;
    private readonly int _m;
    private readonly int _k;
    private readonly int _n;

    /// <summary>Binds the fused steps: <paramref name="matmul"/>'s operands, the bias <paramref name="add"/> adds, and <paramref name="output"/>, the last step's tensor.</summary>
    internal MatMulBiasKernel(KernelBinding matmul, KernelBinding add, bool relu, Tensor output, Value last)
        : base(last)
    {
        (_a, _b, _context) = (matmul.Input(0), matmul.Input(1), matmul.Context);
        _bias = add.Node.Inputs[0] == matmul.Node ? add.Input(1) : add.Input(0);
        _transA = Graph.Core.Operations.MatMul.IsTransposed(matmul.Node.Attributes, 0);
        _transB = Graph.Core.Operations.MatMul.IsTransposed(matmul.Node.Attributes, 1);
        (Shape a, Shape b) = Graph.Core.Operations.MatMul.AsMatrices(_a.Shape, _b.Shape, _transA, _transB);
        (_m, _k, _n) = (a[^2], a[^1], b[^1]);
        _relu = relu;
        _y = output;
        OpName = relu ? "matmul+add+relu" : "matmul+add";
    }

    /// <inheritdoc/>
    public override string OpName { get; }

    /// <inheritdoc/>
    public override void Run()
    {
        fixed (T* bias = _bias.AsSpan<T>())
        {
            // A stored transposed is [K, M], so its rows are M long; likewise B stored transposed is [N, K].
            MatrixMultiply.Multiply(_context, _transA, _transB, _m, _n, _k, _a.AsSpan<T>(), _transA ? _m : _k, _b.AsSpan<T>(), _transB ? _k : _n, _y.AsSpan<T>(), _n, new BiasEpilogue<T>(bias, _relu));
        }
    }
}
