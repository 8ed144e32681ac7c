namespace Graph.Core.Operations;

/// <summary>Rows of the [k, C] per-channel tensors batch normalization's gradient ops exchange.</summary>
internal static class BatchNormRows
{
    /// <summary>Row <paramref name="row"/> of <paramref name="rows"/> [k, C], as [C].</summary>
    public static Value Row(Value rows, int row) => Ops.Slice(rows, 0, row, row + 1).Reshape(rows.Shape[1]);

    /// <summary>Row <paramref name="row"/> of <paramref name="rows"/> [k, C], shaped [1, C, 1, …] to broadcast over an activation of <paramref name="activation"/>.</summary>
    public static Value PerChannel(Value rows, int row, Shape activation) =>
        Ops.Slice(rows, 0, row, row + 1).Reshape([1, activation[1], .. Enumerable.Repeat(1, activation.Rank - 2)]);

    /// <summary>[C] values stacked into [k, C].</summary>
    public static Value Stack(params Value[] rows) => Ops.Concat(rows.Select(r => r.Reshape(1, r.Shape[0])).ToArray(), 0);
}
