using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.Runtime.Dynamic;

/// <summary>A dynamic graph's session keeps the plans of its most recently used sizes, and drops the least recently used.</summary>
[TestClass]
public sealed class PlanCacheTests
{
    [TestMethod]
    public void NewSizes_BeyondTheCapacity_EvictTheLeastRecentlyUsedPlan()
    {
        (Value x, Value y, CompiledGraph graph) = Doubling();
        using var session = new Session(graph, new SessionOptions { PlanCacheCapacity = 2 });

        Run(session, x, 1);
        Tensor viewOfBatch1 = session.Output(y);
        Run(session, x, 2);
        Run(session, x, 1); // batch 1 becomes the most recently used
        CollectionAssert.AreEqual(new[] { 1, 2 }, Batches(session));

        Run(session, x, 3); // evicts batch 2, not batch 1
        CollectionAssert.AreEqual(new[] { 3, 1 }, Batches(session));
        Assert.AreEqual(2f, viewOfBatch1.ToArray<float>()[0], "batch 1's plan is still alive");

        Run(session, x, 2); // evicts batch 1, and its views with it
        CollectionAssert.AreEqual(new[] { 2, 3 }, Batches(session));
        Assert.ThrowsExactly<ObjectDisposedException>(() => viewOfBatch1.ToArray<float>());
        CollectionAssert.AreEqual(Enumerable.Repeat(2f, 2 * 4).ToArray(), session.Output(y).ToArray<float>());
    }

    [TestMethod]
    public void Capacity_BelowOne_IsRefused()
    {
        (_, _, CompiledGraph graph) = Doubling();
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Session(graph, new SessionOptions { PlanCacheCapacity = 0 }));
    }

    private static (Value X, Value Y, CompiledGraph Graph) Doubling()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(-1, 4));
        Value y = (x * 2).Named("y");
        return (x, y, GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [y] }));
    }

    private static void Run(Session session, Value x, int batch)
    {
        session.SetInput(x, Tensor.Ones(new Shape(batch, 4)));
        session.Forward();
    }

    private static int[] Batches(Session session) => session.PlannedShapes.Select(key => key[0][0]).ToArray();
}
