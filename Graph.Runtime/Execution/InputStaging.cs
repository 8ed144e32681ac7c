using Graph.Core;

namespace Graph.Runtime.Execution;

/// <summary>
/// Where a dynamic graph's session keeps what <c>SetInput</c> copied in until <c>Forward</c> knows every size and
/// picks the plan: per leaf, a tensor for each recently given shape (most recently used first, at most
/// <c>capacity</c>), so that feeding a size seen before allocates nothing.
/// </summary>
internal sealed class InputStaging(int valueCount, int capacity)
{
    private readonly List<Tensor>?[] _byLeaf = new List<Tensor>?[valueCount];

    /// <summary>The tensor each leaf was last given, by id (null until it is set).</summary>
    public Tensor?[] Current { get; } = new Tensor?[valueCount];

    /// <summary>Copies <paramref name="value"/> into the staged tensor of its shape for <paramref name="leaf"/> and makes it current.</summary>
    public void Stage(Value leaf, Tensor value)
    {
        List<Tensor> tensors = _byLeaf[leaf.Id] ??= [];
        Tensor? staged = null;
        for (int i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Shape == value.Shape)
            {
                staged = tensors[i];
                tensors.RemoveAt(i);
                break;
            }
        }

        staged ??= Tensor.Zeros(value.Shape, value.DType);
        tensors.Insert(0, staged);
        if (tensors.Count > capacity)
        {
            tensors.RemoveAt(tensors.Count - 1);
        }

        value.CopyTo(staged);
        Current[leaf.Id] = staged;
    }
}
