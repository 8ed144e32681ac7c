using Graph.Core;

namespace Graph.Onnx.Import;

/// <summary>Reductions: ReduceMean takes its axes as an attribute up to opset 17, ReduceSum as an input from opset 13 (an attribute before).</summary>
internal static partial class Converters
{
    private static void AddReductions(Dictionary<string, Action<NodeContext>> all)
    {
        all["ReduceMean"] = node => Reduce(node, node.Ints("axes"), (x, axes, keep) => x.Mean(axes, keep));
        all["ReduceSum"] = node => Reduce(node, AxesOf(node), (x, axes, keep) => x.Sum(axes, keep));
    }

    private static void Reduce(NodeContext node, long[]? axes, Func<Value, int[], bool, Value> reduce)
    {
        node.RequireInputs(1);
        Value x = node.Input(0);
        bool keep = node.Int("keepdims", 1) != 0;
        if (axes is null || axes.Length == 0)
        {
            if (node.Int("noop_with_empty_axes", 0) != 0)
            {
                node.Output(x);
                return;
            }

            axes = Enumerable.Range(0, x.Shape.Rank).Select(i => (long)i).ToArray();
        }

        int[] normalized = axes.Select(a => node.Axis(a, x.Shape.Rank, "axes entry")).Distinct().Order().ToArray();
        node.Output(normalized.Length == 0 ? x : reduce(x, normalized, keep));
    }
}
