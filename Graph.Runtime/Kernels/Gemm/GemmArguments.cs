namespace Graph.Runtime.Kernels;

/// <summary>The checks every GEMM entry makes once, before any pointer is taken.</summary>
internal static class GemmArguments
{
    /// <summary>Throws unless the spans and leading dimensions describe op(A) m × k, op(B) k × n and C m × n.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="workspace"/> is null.</exception>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is shorter than its row, or a span is too short.</exception>
    public static void Validate(
        bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc, GemmWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"GEMM dimensions must not be negative; got m = {m}, n = {n}, k = {k}.");
        }

        // A is stored k × m when transposed, B is stored n × k when transposed; the leading dimension is the stored row stride.
        CheckMatrix("a", "lda", transA ? k : m, transA ? m : k, aLength, lda);
        CheckMatrix("b", "ldb", transB ? n : k, transB ? k : n, bLength, ldb);
        CheckMatrix("c", "ldc", m, n, cLength, ldc);
    }

    /// <summary>
    /// Throws unless the spans describe op(A) m × k and C m × n, for a product whose op(B) comes from an
    /// <see cref="IPanelSource{T}"/>, which knows its own bounds.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is shorter than its row, or a span is too short.</exception>
    public static void ValidateWithoutB(bool transA, int m, int n, int k, int aLength, int lda, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"GEMM dimensions must not be negative; got m = {m}, n = {n}, k = {k}.");
        }

        CheckMatrix("a", "lda", transA ? k : m, transA ? m : k, aLength, lda);
        CheckMatrix("c", "ldc", m, n, cLength, ldc);
    }

    /// <summary>Throws unless rows [rowStart, rowEnd) and columns [colStart, colEnd) lie inside an m × n C.</summary>
    /// <exception cref="ArgumentException">The region is reversed or reaches outside C.</exception>
    public static void ValidateRegion(int m, int n, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        if (rowStart < 0 || rowStart > rowEnd || rowEnd > m)
        {
            throw new ArgumentException($"Rows [{rowStart}, {rowEnd}) are not a range inside the {m} rows of C.", nameof(rowStart));
        }

        if (colStart < 0 || colStart > colEnd || colEnd > n)
        {
            throw new ArgumentException($"Columns [{colStart}, {colEnd}) are not a range inside the {n} columns of C.", nameof(colStart));
        }
    }

    private static void CheckMatrix(string name, string ldName, int rows, int cols, int length, int ld)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentException($"{ldName} = {ld} is less than max(1, {cols}), the length of a stored row of {name}.", ldName);
        }

        if (rows == 0 || cols == 0)
        {
            return;
        }

        long needed = ((long)(rows - 1) * ld) + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"Span {name} holds {length} elements, but a stored {rows} × {cols} matrix with leading dimension {ld} needs {needed}.", name);
        }
    }
}
