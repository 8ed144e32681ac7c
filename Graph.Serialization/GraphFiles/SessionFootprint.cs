using Graph.Core;

namespace Graph.Serialization;

/// <summary>
/// What a session of a loaded graph allocates that the file's own bytes do not back: the arena, the inputs, the
/// gradient seeds, the gradients and the convolutions' shared scratch memory. The loader compares it with
/// <see cref="GraphFormat.MaxSessionBytes"/> before anything is allocated, so that a few bytes of file cannot ask
/// for gigabytes. Parameters, constants and optimizer slots are not counted: the file holds their bytes.
/// </summary>
internal static class SessionFootprint
{
    // Conv2dGeometry's budget for one block of samples; the scratch is one block's columns and output matrix.
    private const long ConvolutionBlockBytes = 16L << 20;

    /// <summary>The bytes a session of <paramref name="compiled"/> allocates beyond the tensors the file stores, in long arithmetic.</summary>
    public static long Bytes(CompiledGraph compiled)
    {
        long bytes = compiled.Memory.ArenaBytes;
        long scratch = 0;
        foreach (Value v in compiled.Graph.Values)
        {
            if (v.Kind is ValueKind.Input or ValueKind.GradientSeed)
            {
                bytes += FixedBytes(v.Type);
            }

            // Kernels share one scratch buffer, as large as the largest any of them reserves.
            scratch = Math.Max(scratch, ConvolutionScratchBytes(v));
        }

        foreach (Value target in compiled.Backward.SelectMany(b => b.Accumulations).Select(a => a.Target).Distinct())
        {
            bytes += FixedBytes(target.Type);
        }

        return bytes + scratch;
    }

    // A dynamic size is fixed by the tensors a session is given, not by the file, so it is not the file's to bound.
    private static long FixedBytes(TensorType type) => type.Shape.IsDynamic ? 0 : type.ByteCount;

    // The im2col scratch of a convolution step (Conv2dGeometry's, recomputed in long so a hostile shape cannot wrap it).
    private static long ConvolutionScratchBytes(Value v)
    {
        (Shape x, Shape w, Shape y) = v.Op?.Name switch
        {
            "conv2d" => (v.Input(0).Shape, v.Input(1).Shape, v.Shape),
            "conv2d_input_grad" => (v.Shape, v.Input(1).Shape, v.Input(0).Shape),
            "conv2d_weight_grad" => (v.Input(1).Shape, v.Shape, v.Input(0).Shape),
            _ => (default, default, default),
        };
        if (x.Rank != 4 || w.Rank != 4 || y.Rank != 4)
        {
            return 0;
        }

        int groups = Math.Max(1, (int)v.Attributes.Values["groups"]);
        long k = (long)(x[1] / groups) * w[2] * w[3];
        long l = (long)y[2] * y[3];
        long groupOut = w[0] / groups;
        long elementSize = v.DType.SizeInBytes();
        long perSample = (k + groupOut) * l * elementSize;
        long samples = Math.Clamp(ConvolutionBlockBytes / Math.Max(1, perSample), 1, Math.Max(1, x[0]));
        long columns = k * samples * l;
        long blockOutput = samples == 1 ? 0 : groupOut * samples * l;
        return (columns + blockOutput) * elementSize;
    }
}
