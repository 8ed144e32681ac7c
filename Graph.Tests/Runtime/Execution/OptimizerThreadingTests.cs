using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Graph.Core;
using Graph.Runtime;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Runtime.Execution;

/// <summary>
/// Optimizer steps split each large parameter into fixed parts: the result is bitwise the one-pass formula (today's
/// order of operations, written out here over whole tensors) on every thread count.
/// </summary>
[TestClass]
public sealed class OptimizerThreadingTests
{
    // Three parts and a ragged last one.
    private const int Length = (3 * 65536) + 77;
    private const int Steps = 3;

    [TestMethod]
    [DataRow(0.0, 0.0, false)]
    [DataRow(0.9, 0.0, false)]
    [DataRow(0.9, 0.01, true)]
    public void Sgd_OnThreeThreads_IsTheWholeTensorFormulaBitForBit(double momentum, double weightDecay, bool nesterov)
    {
        const float Lr = 0.1f;
        (CompiledGraph compiled, Value w, Action<Session> train, float[] w0, float[][] grads) = Model(s => new Sgd(s, Lr, momentum, weightDecay: weightDecay, nesterov: nesterov));

        float[] p = w0;
        float[] buffer = new float[Length];
        for (int step = 0; step < Steps; step++)
        {
            float[] d = grads[step];
            if (weightDecay != 0)
            {
                float[] decayed = new float[Length];
                TensorPrimitives.MultiplyAdd(p, (float)weightDecay, d, decayed);
                d = decayed;
            }

            if (momentum != 0)
            {
                if (step == 0)
                {
                    d.CopyTo(buffer, 0);
                }
                else
                {
                    TensorPrimitives.Multiply(buffer, (float)momentum, buffer);
                    TensorPrimitives.MultiplyAdd(d, 1f, buffer, buffer);
                }

                float[] next = new float[Length];
                if (nesterov)
                {
                    TensorPrimitives.MultiplyAdd(buffer, (float)momentum, d, next);
                }
                else
                {
                    buffer.CopyTo(next, 0);
                }

                d = next;
            }

            TensorPrimitives.MultiplyAdd(d, -Lr, p, p);
        }

        AssertTrainsTo(p, compiled, w, train);
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(0.01)]
    public void Adam_OnThreeThreads_IsTheWholeTensorFormulaBitForBit(double weightDecay)
    {
        const double Lr = 1e-2, Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;
        (CompiledGraph compiled, Value w, Action<Session> train, float[] w0, float[][] grads) = Model(s => new Adam(s, Lr, Beta1, Beta2, Eps, weightDecay));

        float[] p = w0;
        float[] m = new float[Length];
        float[] v = new float[Length];
        for (int step = 1; step <= Steps; step++)
        {
            float[] g = grads[step - 1];
            if (weightDecay != 0)
            {
                float[] decayed = new float[Length];
                TensorPrimitives.MultiplyAdd(p, (float)weightDecay, g, decayed);
                g = decayed;
            }

            float stepSize = (float)(Lr / (1 - Math.Pow(Beta1, step)));
            float correction2Sqrt = (float)Math.Sqrt(1 - Math.Pow(Beta2, step));
            for (int i = 0; i < Length; i++)
            {
                m[i] += (float)(1 - Beta1) * (g[i] - m[i]);
                v[i] = (v[i] * (float)Beta2) + ((float)(1 - Beta2) * g[i] * g[i]);
            }

            for (int i = 0; i < Length; i++)
            {
                float denom = (MathF.Sqrt(v[i]) / correction2Sqrt) + (float)Eps;
                p[i] += -stepSize * (m[i] / denom);
            }
        }

        AssertTrainsTo(p, compiled, w, train);
    }

    [TestMethod]
    [DataRow("adamw")]
    [DataRow("rmsprop")]
    [DataRow("rmsprop, centered, momentum, weight decay")]
    public void AdamWAndRmsProp_OnThreeThreads_AreTheOneThreadBits(string name)
    {
        Func<Session, Optimizer> optimizer = name switch
        {
            "adamw" => s => new AdamW(s, lr: 1e-2),
            "rmsprop" => s => new RmsProp(s),
            _ => s => new RmsProp(s, weightDecay: 0.01, momentum: 0.9, centered: true),
        };
        (CompiledGraph compiled, Value w, Action<Session> train, float[] w0, _) = Model(optimizer);
        byte[][] bits = ThreadCounts.AssertSameBits(compiled, train, s => [s.ParameterValue(w)]);
        CollectionAssert.AreNotEqual(w0, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bits[0]).ToArray(), $"{name}: the steps moved w");
    }

    /// <summary>
    /// loss = mean(tanh(x·w)²) over one large parameter w, after a large parameter the loss does not read (no backward
    /// pass reaches it, so a step must skip its parts and leave it as it is); the gradients of each step come from a one-thread session
    /// with the same optimizer, so the reference formula sees the gradients the sessions see.
    /// </summary>
    private static (CompiledGraph Compiled, Value W, Action<Session> Train, float[] W0, float[][] Grads) Model(Func<Session, Optimizer> optimizer)
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(Length));
        g.Parameter("unreached", TestModels.Uniform(new Shape(Length + 1000), 1, seed: 6));
        Value w = g.Parameter("w", TestModels.Uniform(new Shape(Length), 1, seed: 7));
        Value loss = (x * w).Tanh().Pow(2).Mean();
        ComputeGraph graph = g.Build();
        w = graph.Parameters.Single(p => p.Name == "w");
        Tensor xs = TestModels.Uniform(new Shape(Length), 1, seed: 8);
        var grads = new float[Steps][];
        CompiledGraph compiled = ThreadCounts.Compile(graph, [loss]);

        void Train(Session s, bool record)
        {
            Optimizer opt = optimizer(s);
            s.SetInput(x, xs);
            for (int step = 0; step < Steps; step++)
            {
                opt.ZeroGrad();
                s.Forward();
                s.Backward();
                if (record)
                {
                    grads[step] = s.Grad(w)!.ToArray<float>();
                }

                opt.Step();
            }
        }

        float[] w0;
        using (var reference = new Session(compiled))
        {
            w0 = reference.ParameterValue(w).ToArray<float>();
            Train(reference, record: true);
        }

        return (compiled, w, s => Train(s, record: false), w0, grads);
    }

    private static void AssertTrainsTo(float[] expected, CompiledGraph compiled, Value w, Action<Session> train)
    {
        Value unreached = compiled.Graph.Parameters.Single(p => p.Name == "unreached");
        byte[][] bits = ThreadCounts.AssertSameBits(compiled, train, s => [s.ParameterValue(w), s.ParameterValue(unreached)]);
        CollectionAssert.AreEqual(expected, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bits[0]).ToArray());
        float[] untouched = TestModels.Uniform(new Shape(Length + 1000), 1, seed: 6).ToArray<float>();
        CollectionAssert.AreEqual(untouched, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bits[1]).ToArray(), "a parameter no backward pass reached changed");
    }
}
