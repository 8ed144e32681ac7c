using System.Numerics;
using Graph.Runtime.Execution;

namespace Graph.Runtime.Kernels;

/// <summary>
/// A convolution's forward product, one per block of samples and group: y [Og, samples·L] = w [Og, K] · columns
/// [K, samples·L], then the product is moved to y's [samples, O, L] layout. The columns are packed panel by panel
/// straight from the input (<see cref="Im2ColPanels{T}"/>, an implicit GEMM) except in products too narrow for the
/// packed GEMM, which get them from <see cref="Im2Col"/>. Batching the samples makes the late layers' products wide
/// enough for the GEMM to run at speed (a 2×2 output is otherwise a product four columns wide). A block of one sample
/// writes y directly, and a pointwise convolution of one sample multiplies the input itself.
/// </summary>
internal static unsafe class ConvolutionForward
{
    /// <summary>y = the convolution of x with w; <paramref name="scratch"/> holds <see cref="Conv2dGeometry.ImplicitScratchCount"/> elements.</summary>
    public static void Run<T>(KernelContext context, Conv2dGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> y, Span<T> scratch)
        where T : unmanaged, INumber<T>
    {
        Run(context, g, x, w, y, scratch, default(NoEpilogue<T>));
    }

    /// <summary>
    /// y = the convolution of x with w, with <paramref name="epilogue"/> applied to each output channel's run as it
    /// is written (during the move to y's layout, or right after the product when it wrote y itself).
    /// </summary>
    public static void Run<T, TEpilogue>(KernelContext context, Conv2dGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> y, Span<T> scratch, TEpilogue epilogue)
        where T : unmanaged, INumber<T>
        where TEpilogue : struct, IChannelEpilogue<T>
    {
        WorkerTeam team = context.Team;
        Span<T> columns = scratch[..g.ImplicitColumnCount];
        Span<T> product = scratch[g.ImplicitColumnCount..];
        int weightBlock = g.GroupOutChannels * g.K;
        for (int first = 0; first < g.Batch; first += g.SampleBlock)
        {
            int samples = Math.Min(g.SampleBlock, g.Batch - first);
            int n = samples * g.L;
            for (int group = 0; group < g.Groups; group++)
            {
                ReadOnlySpan<T> input = x[(((first * g.Channels) + (group * g.GroupChannels)) * g.Plane)..];
                Span<T> output = y[(((first * g.OutChannels) + (group * g.GroupOutChannels)) * g.L)..];
                Span<T> destination = samples == 1 ? output : product;
                ReadOnlySpan<T> weights = w.Slice(group * weightBlock, weightBlock);
                if (g.PacksColumnsFromInput(samples))
                {
                    fixed (T* image = input)
                    {
                        MatrixMultiply.Multiply(context, false, g.GroupOutChannels, n, g.K, weights, g.K, new Im2ColPanels<T>(g, image), destination, n, accumulate: false);
                    }
                }
                else
                {
                    if (!g.ReadsInputDirectly(samples))
                    {
                        Im2Col.Gather(team, g, input, samples, columns);
                        input = columns;
                    }

                    MatrixMultiply.Multiply(context, false, false, g.GroupOutChannels, n, g.K, weights, g.K, input, n, destination, n, accumulate: false);
                }

                if (samples > 1)
                {
                    ChannelMajor.Unpack(team, product, g.GroupOutChannels, samples, g.L, output, (long)g.OutChannels * g.L, epilogue, group * g.GroupOutChannels);
                }
                else if (!epilogue.IsEmpty)
                {
                    fixed (T* written = output)
                    {
                        team.For(g.GroupOutChannels, new EpilogueBody<T, TEpilogue>(epilogue, written, g.L, group * g.GroupOutChannels));
                    }
                }
            }
        }
    }

    /// <summary>Part c applies the epilogue to output channel c of a one-sample block, which the product wrote in place.</summary>
    private readonly struct EpilogueBody<T, TEpilogue>(TEpilogue epilogue, T* output, int l, int firstChannel) : IParallelBody
        where T : unmanaged, INumber<T>
        where TEpilogue : struct, IChannelEpilogue<T>
    {
        public void Run(int part, int worker) => epilogue.Apply(firstChannel + part, new Span<T>(output + ((long)part * l), l));
    }
}
