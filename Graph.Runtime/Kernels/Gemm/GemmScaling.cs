using System.Numerics;

namespace Graph.Runtime.Kernels;

/// <summary>C = beta · C, the whole product when alpha or k is zero. Beta zero writes zeros without reading C.</summary>
internal static unsafe class GemmScaling
{
    /// <summary>Scales an <paramref name="m"/> × <paramref name="n"/> block of C with row stride <paramref name="ldc"/>.</summary>
    public static void Scale<T>(int m, int n, T* c, nint ldc, T beta)
        where T : unmanaged, INumber<T>
    {
        for (nint i = 0; i < m; i++)
        {
            ScaleRow(c + (i * ldc), n, beta);
        }
    }

    /// <summary>Scales <paramref name="count"/> contiguous elements.</summary>
    public static void ScaleRow<T>(T* row, int count, T beta)
        where T : unmanaged, INumber<T>
    {
        if (beta == T.One)
        {
            return;
        }

        Span<T> span = new(row, count);
        if (beta == T.Zero)
        {
            span.Clear();
            return;
        }

        for (int j = 0; j < span.Length; j++)
        {
            span[j] *= beta;
        }
    }
}
