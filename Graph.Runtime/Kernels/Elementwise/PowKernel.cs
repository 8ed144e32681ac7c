using System.Numerics;
using System.Numerics.Tensors;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>pow: <c>x^p</c> for the node's constant exponent, with exact paths for the common small exponents.</summary>
internal sealed class PowKernel<T>(KernelBinding binding) : Kernel(binding.Node), IRangeKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor _x = binding.Input(0);
    private readonly Tensor _y = binding.Output;
    private readonly double _exponent = binding.Node.Attributes.Values["exponent"] is double p ? p : throw new InvalidOperationException("pow needs an exponent");

    private readonly Execution.WorkerTeam _team = binding.Context.Team;

    public override void Run() => FixedParts.RunRange(_team, this, (int)_y.ElementCount);

    public void RunRange(int start, int count)
    {
        ReadOnlySpan<T> x = _x.AsSpan<T>().Slice(start, count);
        Span<T> y = _y.AsSpan<T>().Slice(start, count);
        switch (_exponent)
        {
            case 0:
                y.Fill(T.One);
                break;
            case 1:
                x.CopyTo(y);
                break;
            case 2:
                TensorPrimitives.Multiply(x, x, y);
                break;
            case 3:
                // x·x·x in one pass: y may be x's own buffer (in place), so each x[i] is read before y[i] is written.
                for (int i = 0; i < y.Length; i++)
                {
                    y[i] = x[i] * x[i] * x[i];
                }

                break;
            case 0.5:
                TensorPrimitives.Sqrt(x, y);
                break;
            case -1:
                TensorPrimitives.Divide(T.One, x, y);
                break;
            default:
                TensorPrimitives.Pow(x, T.CreateChecked(_exponent), y);
                break;
        }
    }
}

/// <summary>Picks <see cref="PowKernel{T}"/> by dtype.</summary>
internal static class PowKernel
{
    public static Kernel Create(KernelBinding b) => b.IsFloat32 ? new PowKernel<float>(b) : new PowKernel<double>(b);
}
