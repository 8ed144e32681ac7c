using Graph.Compiler;
using Graph.Core;
using Graph.Tests.TestSupport;

namespace Graph.Tests.Memory;

/// <summary>
/// <see cref="Timeline"/> numbers the steps as the tapes lay them out: the forward tape, then each backward tape and
/// its accumulation step; its spans are the tapes' fused ranges; the memory plan records its numbers.
/// </summary>
[TestClass]
public sealed class TimelineTests
{
    [TestMethod]
    public void MlpWithTwoRoots_TapesStartWhereTheEarlierTapesAndAccumulationStepsEnd()
    {
        CompiledGraph compiled = MlpWithTwoRoots();
        var timeline = Timeline.Of(compiled);
        int forward = compiled.Forward.Steps.Count;
        int first = compiled.Backward[0].Tape.Steps.Count;
        int second = compiled.Backward[1].Tape.Steps.Count;

        CollectionAssert.AreEqual(new[] { 0, forward, forward + first + 1 }, timeline.TapeStarts.ToArray());
        Assert.AreEqual(forward + first + 1 + second + 1, timeline.Length);
        Assert.AreEqual(timeline.Length - 1, timeline.End);
        Assert.AreEqual(forward + first, timeline.AccumulationStep(Timeline.BackwardTape(0)));
        Assert.AreEqual(timeline.Length - 1, timeline.AccumulationStep(Timeline.BackwardTape(1)));
        Assert.AreEqual(forward + 2, timeline.StepOf(Timeline.BackwardTape(0), 2));
        CollectionAssert.AreEqual(timeline.TapeStarts.ToArray(), compiled.Memory.TapeStarts.ToArray());
        Assert.AreEqual(timeline.Length, compiled.Memory.TimelineLength);
    }

    [TestMethod]
    public void MlpWithTwoRoots_StepsAreTheTapesInOrder_SkippingOnlyTheAccumulationSteps()
    {
        CompiledGraph compiled = MlpWithTwoRoots();
        var timeline = Timeline.Of(compiled);
        (Value Value, int Step)[] steps = timeline.Steps().ToArray();

        Value[] tapes = compiled.Forward.Steps.Concat(compiled.Backward.SelectMany(b => b.Tape.Steps)).ToArray();
        CollectionAssert.AreEqual(tapes, steps.Select(s => s.Value).ToArray());
        int[] accumulationSteps = [timeline.AccumulationStep(1), timeline.AccumulationStep(2)];
        CollectionAssert.AreEqual(
            Enumerable.Range(0, timeline.Length).Except(accumulationSteps).ToArray(),
            steps.Select(s => s.Step).ToArray());
    }

    [TestMethod]
    public void MlpWithTwoRoots_ComputedGradientsAccumulateAfterTheirStep_AndOnlyOnTheirOwnTapesStretch()
    {
        CompiledGraph compiled = MlpWithTwoRoots();
        var timeline = Timeline.Of(compiled);
        var stepOf = timeline.Steps().ToDictionary(s => s.Value.Id, s => s.Step);
        (GradientAccumulation Accumulation, int Step)[] accumulations = timeline.Accumulations().ToArray();

        CollectionAssert.AreEqual(compiled.Backward.SelectMany(b => b.Accumulations).ToArray(), accumulations.Select(a => a.Accumulation).ToArray());
        for (int k = 0; k < compiled.Backward.Count; k++)
        {
            int tape = Timeline.BackwardTape(k);
            foreach ((GradientAccumulation a, int step) in accumulations.Where(a => compiled.Backward[k].Accumulations.Contains(a.Accumulation)))
            {
                int expected = stepOf.TryGetValue(a.Gradient.Id, out int at) ? timeline.SpanEnd(at) : timeline.AccumulationStep(tape);
                Assert.AreEqual(expected, step, a.Gradient.Name);
                Assert.IsTrue(step >= timeline.TapeStarts[tape] && step <= timeline.AccumulationStep(tape), $"{a.Gradient.Name} at {step}");
            }
        }
    }

    [TestMethod]
    public void ElementwiseChain_EveryStepOfAFusedRangeSpansTheRange_OnEveryTape()
    {
        (GraphBuilder g, _, Value loss) = TestModels.ElementwiseChain(30, 65536);
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss] });
        var timeline = Timeline.Of(compiled);
        Tape[] tapes = [compiled.Forward, compiled.Backward[0].Tape];
        Assert.IsTrue(tapes.All(t => t.Fusions.Count > 0), "both tapes have fused ranges");

        var fused = new HashSet<int>();
        for (int tape = 0; tape < tapes.Length; tape++)
        {
            foreach (FusedRange f in tapes[tape].Fusions)
            {
                for (int i = f.Start; i < f.End; i++)
                {
                    int step = timeline.StepOf(tape, i);
                    Assert.AreEqual(timeline.StepOf(tape, f.Start), timeline.SpanStart(step));
                    Assert.AreEqual(timeline.StepOf(tape, f.End - 1), timeline.SpanEnd(step));
                    fused.Add(step);
                }
            }
        }

        foreach (int step in Enumerable.Range(0, timeline.Length + 2).Where(s => !fused.Contains(s)))
        {
            Assert.AreEqual((step, step), (timeline.SpanStart(step), timeline.SpanEnd(step)), $"step {step} is its own span");
        }
    }

    [TestMethod]
    public void ForwardRuns_AreSpansOfTheForwardTapeOnly()
    {
        CompiledGraph compiled = MlpWithTwoRoots();
        var timeline = new Timeline(compiled.Forward, compiled.Backward, [(1, 3)]);

        CollectionAssert.AreEqual(new[] { 0, 1, 1, 1, 4 }, Enumerable.Range(0, 5).Select(timeline.SpanStart).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 3, 3, 3, 4 }, Enumerable.Range(0, 5).Select(timeline.SpanEnd).ToArray());
        int backward = timeline.TapeStarts[1];
        Assert.AreEqual((backward + 1, backward + 1), (timeline.SpanStart(backward + 1), timeline.SpanEnd(backward + 1)));
    }

    [TestMethod]
    public void EmptyGraph_HasOneTapeAndNoSteps()
    {
        var g = new GraphBuilder();
        Value x = g.Input("x", new Shape(3));
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { Outputs = [x] });
        var timeline = Timeline.Of(compiled);

        CollectionAssert.AreEqual(new[] { 0 }, timeline.TapeStarts.ToArray());
        Assert.AreEqual(0, timeline.Length);
        Assert.AreEqual(0, timeline.End);
        Assert.IsEmpty(timeline.Steps().ToArray());
    }

    // An MLP's cross-entropy and a penalty on a parameter of its own: two backward plans, each with accumulations.
    private static CompiledGraph MlpWithTwoRoots()
    {
        (GraphBuilder g, _, _, Value loss) = TestModels.Mlp(4, [16, 32, 8]);
        Value p = g.Parameter("p", Tensor.Rand(new Shape(64, 8), seed: 9));
        Value penalty = (p * p).Tanh().Sum().Named("penalty");
        CompiledGraph compiled = GraphCompiler.Compile(g.Build(), new CompileOptions { GradientRoots = [loss, penalty] });
        Assert.HasCount(2, compiled.Backward);
        Assert.IsTrue(compiled.Backward.All(b => b.Tape.Steps.Count > 0 && b.Accumulations.Count > 0));
        return compiled;
    }
}
