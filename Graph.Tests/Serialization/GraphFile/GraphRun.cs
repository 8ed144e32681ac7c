using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Serialization.GraphFiles;

/// <summary>Runs a compiled graph the same way every time and collects every number it produces, as bytes.</summary>
internal static class GraphRun
{
    /// <summary>
    /// Feeds every input a fixed tensor, runs the forward tape and every backward plan (seeded with ones), and
    /// returns every output and every accumulated gradient, labelled, as raw bytes.
    /// </summary>
    public static List<(string Label, byte[] Bytes)> Results(CompiledGraph graph)
    {
        using var session = new Session(graph);
        foreach (Value input in graph.Graph.Inputs)
        {
            session.SetInput(input, Sample(input));
        }

        session.Forward();
        var results = graph.Outputs.Select(o => ($"output '{o.Name}'", session.Output(o).Bytes.ToArray())).ToList();
        foreach (BackwardPlan plan in graph.Backward)
        {
            session.Backward(plan.Root, Tensor.Ones(plan.Root.Shape, plan.Root.DType));
            foreach (GradientAccumulation a in plan.Accumulations)
            {
                results.Add(($"gradient of '{a.Target.Name}' after backward of '{plan.Root.Name}'", session.Grad(a.Target)!.Bytes.ToArray()));
            }
        }

        return results;
    }

    /// <summary>Asserts that two runs produced the same labels and bit-identical bytes.</summary>
    public static void AssertBitwiseEqual(List<(string Label, byte[] Bytes)> expected, List<(string Label, byte[] Bytes)> actual, string what)
    {
        CollectionAssert.AreEqual(expected.Select(r => r.Label).ToArray(), actual.Select(r => r.Label).ToArray(), $"{what}: what the runs produce");
        for (int i = 0; i < expected.Count; i++)
        {
            CollectionAssert.AreEqual(expected[i].Bytes, actual[i].Bytes, $"{what}: {expected[i].Label} differs");
        }
    }

    /// <summary>A fixed tensor for <paramref name="input"/>: int64 inputs are class indices, so they stay small; the rest are seeded by the input's id.</summary>
    public static Tensor Sample(Value input) => input.DType switch
    {
        DType.Int64 => Tensor.FromArray(Enumerable.Range(0, (int)input.Shape.ElementCount).Select(i => (long)(i % 3)).ToArray(), input.Shape.ToArray()),
        DType.Bool => Tensor.FromArray(Enumerable.Range(0, (int)input.Shape.ElementCount).Select(i => i % 2 == 0).ToArray(), input.Shape.ToArray()),
        _ => Tensor.Randn(input.Shape, seed: 1000 + input.Id, input.DType),
    };
}
