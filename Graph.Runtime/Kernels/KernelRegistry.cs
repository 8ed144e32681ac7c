using System.Collections.Frozen;
using Graph.Core;

namespace Graph.Runtime.Kernels;

/// <summary>
/// The kernels of every op, by the op's stable name: the one place where the runtime learns how to run an
/// op. Each factory picks the dtype-specialized kernel for a node; a new op adds one line here.
/// </summary>
internal static class KernelRegistry
{
    private static readonly FrozenDictionary<string, Func<KernelBinding, Kernel>> s_factories = new Dictionary<string, Func<KernelBinding, Kernel>>
    {
        ["neg"] = UnaryKernel.ForNumber<NegOperator<float>, NegOperator<double>, NegOperator<long>>,
        ["exp"] = UnaryKernel.ForFloat<ExpOperator<float>, ExpOperator<double>>,
        ["log"] = UnaryKernel.ForFloat<LogOperator<float>, LogOperator<double>>,
        ["sqrt"] = UnaryKernel.ForFloat<SqrtOperator<float>, SqrtOperator<double>>,
        ["tanh"] = UnaryKernel.ForFloat<TanhOperator<float>, TanhOperator<double>>,
        ["sigmoid"] = UnaryKernel.ForFloat<SigmoidOperator<float>, SigmoidOperator<double>>,
        ["relu"] = UnaryKernel.ForFloat<ReluOperator<float>, ReluOperator<double>>,
        ["abs"] = UnaryKernel.ForNumber<AbsOperator<float>, AbsOperator<double>, AbsOperator<long>>,
        ["step"] = UnaryKernel.ForFloat<StepOperator<float>, StepOperator<double>>,
        ["sign"] = UnaryKernel.ForNumber<SignOperator<float>, SignOperator<double>, SignOperator<long>>,
        ["pow"] = PowKernel.Create,
        ["cast"] = CastKernel.Create,
        ["add"] = BinaryKernel.ForNumber<AddOperator<float>, AddOperator<double>, AddOperator<long>>,
        ["sub"] = BinaryKernel.ForNumber<SubOperator<float>, SubOperator<double>, SubOperator<long>>,
        ["mul"] = BinaryKernel.ForNumber<MulOperator<float>, MulOperator<double>, MulOperator<long>>,
        ["div"] = BinaryKernel.ForNumber<DivOperator<float>, DivOperator<double>, DivOperator<long>>,
        ["equal"] = EqualKernel.Create,
        ["sum"] = ReduceKernel.Sum,
        ["mean"] = ReduceKernel.Mean,
        ["max"] = ReduceKernel.Max,
        ["sum_to"] = ReduceKernel.Sum,
        ["argmax_mask"] = ArgMaxMaskKernel.Create,
        ["all"] = b => new AllKernel(b),
        ["reshape"] = b => new CopyKernel(b),
        ["detach"] = b => new CopyKernel(b),
        ["permute"] = StridedCopyKernel.Permute,
        ["transpose"] = StridedCopyKernel.Transpose,
        ["broadcast_to"] = StridedCopyKernel.BroadcastTo,
        ["broadcast_like"] = StridedCopyKernel.BroadcastTo,
        ["shape_scalar"] = b => new ShapeScalarKernel(b),
        ["concat"] = BlockCopyKernels.Concat,
        ["slice"] = BlockCopyKernels.Slice,
        ["pad"] = BlockCopyKernels.Pad,
        ["matmul"] = MatMulKernel.Create,
        ["softmax"] = SoftmaxKernel.Softmax,
        ["log_softmax"] = SoftmaxKernel.LogSoftmax,
        ["nll_loss"] = LossKernels.NllLoss,
        ["one_hot"] = b => new OneHotKernel(b),
        ["binary_cross_entropy_with_logits"] = LossKernels.BinaryCrossEntropyWithLogits,
        ["mse_loss"] = LossKernels.MseLoss,
        ["conv2d"] = Conv2dKernels.Conv2d,
        ["conv2d_input_grad"] = Conv2dKernels.InputGrad,
        ["conv2d_weight_grad"] = Conv2dKernels.WeightGrad,
        ["max_pool2d"] = MaxPool2dKernels.Forward,
        ["max_pool2d_grad"] = MaxPool2dKernels.Grad,
        ["max_pool2d_gather"] = MaxPool2dKernels.Gather,
        ["avg_pool2d"] = AvgPool2dKernels.Forward,
        ["avg_pool2d_grad"] = AvgPool2dKernels.Grad,
        ["adaptive_avg_pool2d"] = AvgPool2dKernels.AdaptiveForward,
        ["adaptive_avg_pool2d_grad"] = AvgPool2dKernels.AdaptiveGrad,
        ["batch_norm"] = BatchNormKernel.Create,
        ["batch_norm_backward_reduce"] = BatchNormBackwardKernels.Reduce,
        ["batch_norm_backward_elemt"] = BatchNormBackwardKernels.Elementwise,
        ["dropout_mask"] = DropoutMaskKernel.Create,
        ["index_select"] = IndexKernels.IndexSelect,
        ["index_add"] = IndexKernels.IndexAdd,
        ["gather"] = IndexKernels.Gather,
        ["scatter_add"] = IndexKernels.ScatterAdd,
        ["layer_norm_stats"] = LayerNormKernels.Stats,
        ["layer_norm"] = LayerNormKernels.Forward,
        ["layer_norm_backward"] = LayerNormKernels.Backward,
        ["layer_norm_backward_affine"] = LayerNormKernels.BackwardAffine,
        ["attention_weights"] = AttentionWeightsKernel.Create,
        ["attention_weights_backward"] = AttentionWeightsKernel.Backward,
        ["sin"] = UnaryKernel.ForFloat<SinOperator<float>, SinOperator<double>>,
        ["cos"] = UnaryKernel.ForFloat<CosOperator<float>, CosOperator<double>>,
        ["rsqrt"] = UnaryKernel.ForFloat<RsqrtOperator<float>, RsqrtOperator<double>>,
        ["erf"] = MappedUnaryKernel.OfVector<ErfFunction>(),
        ["gelu"] = MappedUnaryKernel.OfVector<GeluFunction>("approximate"),
        ["softplus"] = MappedUnaryKernel.Of<SoftplusFunction>("beta", "threshold"),
        ["leaky_relu"] = MappedUnaryKernel.Of<LeakyReluFunction>("negative_slope"),
        ["clamp"] = MappedUnaryKernel.Of<ClampFunction>("min", "max"),
        ["clamp_mask"] = MappedUnaryKernel.Of<ClampMaskFunction>("min", "max"),
        ["maximum"] = FloatBinaryKernel.Create<MaximumOperator<float>, MaximumOperator<double>>,
        ["minimum"] = FloatBinaryKernel.Create<MinimumOperator<float>, MinimumOperator<double>>,
        ["pow_tensor"] = FloatBinaryKernel.Create<PowTensorOperator<float>, PowTensorOperator<double>>,
        ["where"] = WhereKernel.Create,
        ["max_all"] = ReduceKernel.Max,
        ["argmax"] = ArgMaxKernel.Create,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Ops whose kernels can add their result into the output (a GEMM's beta = 1), so a weight gradient they compute
    // goes straight into the stored gradient, with no intermediate and no separate pass to add it.
    private static readonly FrozenSet<string> s_addToOutput = FrozenSet.ToFrozenSet(["matmul", "conv2d_weight_grad"], StringComparer.Ordinal);

    /// <summary>The op names that have kernels.</summary>
    public static IEnumerable<string> OpNames => s_factories.Keys;

    /// <summary>True when the kernel of <paramref name="op"/> honours <see cref="KernelBinding.AddToOutput"/>.</summary>
    public static bool CanAddToOutput(string op) => s_addToOutput.Contains(op);

    /// <summary>
    /// The one kernel for a run of <see cref="EpilogueRuns"/>: a conv2d and the evaluation-mode batch_norm that reads
    /// it, or a matmul and the add of its bias; then optionally a relu. It writes <paramref name="output"/>, the tensor
    /// of <paramref name="last"/>.
    /// </summary>
    public static Kernel BindEpilogueRun(KernelBinding first, KernelBinding second, bool relu, Tensor output, Value last) =>
        (first.Node.Op!.Name, first.IsFloat32) switch
        {
            ("conv2d", true) => new Conv2dBatchNormKernel<float>(first, second, relu, output, last),
            ("conv2d", false) => new Conv2dBatchNormKernel<double>(first, second, relu, output, last),
            ("matmul", true) => new MatMulBiasKernel<float>(first, second, relu, output, last),
            ("matmul", false) => new MatMulBiasKernel<double>(first, second, relu, output, last),
            _ => throw new InvalidOperationException($"No fused kernel runs {first.Node.Op.Name} → {second.Node.Op!.Name} (node '{last.Name}'); EpilogueRuns and KernelRegistry disagree."),
        };

    /// <summary>Binds the kernel of <paramref name="binding"/>'s node.</summary>
    /// <exception cref="NotSupportedException">The op has no kernel in this runtime.</exception>
    public static Kernel Bind(KernelBinding binding)
    {
        string op = binding.Node.Op!.Name;
        if (!s_factories.TryGetValue(op, out Func<KernelBinding, Kernel>? factory))
        {
            throw new NotSupportedException($"Op '{op}' of node '{binding.Node.Name}' has no kernel in this runtime; register one in KernelRegistry.");
        }

        if (binding.AddToOutput && !CanAddToOutput(op))
        {
            throw new InvalidOperationException($"Op '{op}' of node '{binding.Node.Name}' cannot add into its output.");
        }

        return factory(binding);
    }
}
