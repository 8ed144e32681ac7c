using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Optimizers;

/// <summary>
/// The model of tools/pytorch/optimizer_reference.py: two float64 parameters p0 [3, 4] and p1 [5] whose gradients are
/// exactly the inputs g0 and g1 (loss = Σ p0·g0 + Σ p1·g1), so each step sees the gradient the reference set by hand.
/// </summary>
internal sealed class FixedGradients : IDisposable
{
    private FixedGradients(Session session, Value p0, Value p1, Value g0, Value g1)
    {
        (Session, P0, P1, G0, G1) = (session, p0, p1, g0, g1);
    }

    public Session Session { get; }

    public Value P0 { get; }

    public Value P1 { get; }

    private Value G0 { get; }

    private Value G1 { get; }

    /// <summary>The model with the reference's initial parameters (a third parameter, frozen, to show it is left alone).</summary>
    public static FixedGradients Create(IReadOnlyDictionary<string, Tensor> reference, DType dtype = DType.Float64, SessionOptions? options = null)
    {
        var g = new GraphBuilder();
        Value p0 = g.Parameter("p0", Cast(reference["init/p0"], dtype));
        Value p1 = g.Parameter("p1", Cast(reference["init/p1"], dtype));
        Value frozen = g.Parameter("frozen", Tensor.Ones(new Shape(2), dtype), requiresGrad: false);
        Value g0 = g.Input("g0", p0.Shape, dtype);
        Value g1 = g.Input("g1", p1.Shape, dtype);
        Value loss = (p0 * g0).Sum() + (p1 * g1).Sum() + frozen.Sum();
        Session session = options is null ? Compile.Session(g, [loss]) : new Session(Graph.Compiler.GraphCompiler.Compile(g.Build(), new Graph.Compiler.CompileOptions { GradientRoots = [loss] }), options);
        return new FixedGradients(session, p0, p1, g0, g1);
    }

    /// <summary>Row <paramref name="step"/> of a reference tensor of shape [steps, …].</summary>
    public static Tensor Row(Tensor stacked, int step, DType dtype = DType.Float64)
    {
        int[] dims = Enumerable.Range(1, stacked.Shape.Rank - 1).Select(a => stacked.Shape[a]).ToArray();
        int size = (int)(stacked.ElementCount / stacked.Shape[0]);
        return Cast(Tensor.FromArray(stacked.ToArray<double>().AsSpan(step * size, size).ToArray(), dims), dtype);
    }

    public static Tensor Cast(Tensor t, DType dtype) =>
        dtype == t.DType ? t
        : dtype == DType.Float32 ? Tensor.FromArray(t.ToArray<double>().Select(x => (float)x).ToArray(), Dims(t))
        : Tensor.FromArray(t.ToArray<float>().Select(x => (double)x).ToArray(), Dims(t));

    /// <summary>ZeroGrad, forward and backward with the reference's gradients of step <paramref name="step"/>.</summary>
    public void Gradients(IReadOnlyDictionary<string, Tensor> reference, int step, DType dtype = DType.Float64)
    {
        Session.SetInput(G0, Row(reference["grads/p0"], step, dtype));
        Session.SetInput(G1, Row(reference["grads/p1"], step, dtype));
        Session.ZeroGrad();
        Session.Forward();
        Session.Backward();
    }

    public void Dispose() => Session.Dispose();

    private static int[] Dims(Tensor t) => Enumerable.Range(0, t.Shape.Rank).Select(a => t.Shape[a]).ToArray();
}
