namespace Graph.Core.Operations;

/// <summary>
/// Batch normalization over every axis but 1 (the channels), like <c>F.batch_norm</c>: inputs x [N, C, ...],
/// weight, bias, running_mean and running_var [C]; attributes <c>training</c>, <c>momentum</c>, <c>eps</c>.
/// <para>
/// In training mode it normalizes with the batch statistics (biased variance) and, as its one side effect,
/// updates the running statistics in place, exactly as PyTorch: <c>mean ← (1 − m)·mean + m·batch_mean</c> and
/// <c>var ← (1 − m)·var + m·batch_var·n/(n − 1)</c>. The running statistics must then be parameters (the
/// session's own writable copies); they do not feed the output, so they get no gradient and do not disturb
/// it. <see cref="OpTraits.UpdatesInputs"/> keeps the node on the forward tape. In evaluation mode it
/// normalizes with the running statistics and writes nothing. Attribute <c>update_running_stats</c> (absent: true)
/// false makes training mode write nothing either: the form the rematerialization pass recomputes during backward,
/// whose output is the same (training mode's output never reads the running statistics) and whose effect has already
/// happened once, on the forward tape.
/// </para>
/// <para>
/// The gradient recomputes the statistics from x and is ordinary IR, so it can itself be differentiated: with x̂
/// the normalized input, <c>dweight = Σ grad·x̂</c>, <c>dbias = Σ grad</c>, and in training mode
/// <c>dx = weight/σ · (grad − (Σ grad + x̂·Σ grad·x̂)/n)</c>, computed in two passes over the activations by
/// <see cref="BatchNormBackwardReduce"/> and <see cref="BatchNormBackwardElementwise"/>; in evaluation mode
/// <c>dx = grad·weight/σ</c>.
/// </para>
/// </summary>
internal sealed class BatchNorm : OpDef
{
    private BatchNorm()
    {
    }

    /// <summary>The op.</summary>
    public static BatchNorm Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "batch_norm";

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> AttributeNames { get; } = ["eps", "momentum", "training", "update_running_stats"];

    /// <inheritdoc/>
    public override string GradFn => "NativeBatchNormBackward";

    /// <inheritdoc/>
    public override int Arity => 5;

    /// <inheritdoc/>
    public override OpTraits Traits => OpTraits.UpdatesInputs;

    /// <summary>The attributes of a batch normalization.</summary>
    internal static OpAttributes Attributes(bool training, double momentum, double eps) =>
        OpAttributes.Empty.With("training", training).With("momentum", momentum).With("eps", eps);

    /// <summary>
    /// Whether the node writes the running statistics: in training mode, unless <c>update_running_stats</c> is false.
    /// </summary>
    internal static bool UpdatesRunningStatistics(OpAttributes attributes) =>
        attributes.GetBool("training") && attributes.GetBoolOrDefault("update_running_stats", absent: true);

    /// <inheritdoc/>
    public override TensorType InferType(ReadOnlySpan<TensorType> inputs, OpAttributes attributes)
    {
        TensorType x = inputs[0];
        ShapeRules.RequireFloatingPoint(x, "the input");
        if (x.Shape.Rank < 2)
        {
            throw new OpRuleException($"the input {x.Shape} must be [batch, channels, ...]");
        }

        string[] names = ["weight", "bias", "running_mean", "running_var"];
        for (int i = 1; i < inputs.Length; i++)
        {
            ShapeRules.RequireSameDType(x, inputs[i]);
            if (inputs[i].Shape != new Shape(x.Shape[1]))
            {
                throw new OpRuleException($"the {names[i - 1]} {inputs[i].Shape} must be [{x.Shape[1]}], one value per channel of the input {x.Shape}");
            }
        }

        double eps = attributes.GetDouble("eps");
        double momentum = attributes.GetDouble("momentum");
        _ = UpdatesRunningStatistics(attributes);
        if (!(eps >= 0) || !double.IsFinite(momentum))
        {
            throw new OpRuleException($"eps {eps} must be at least 0 and momentum {momentum} finite");
        }

        if (attributes.GetBool("training") && !x.Shape.IsDynamic && x.Shape.ElementCount / x.Shape[1] < 2)
        {
            throw new OpRuleException($"training needs more than 1 value per channel to compute a variance, but the input is {x.Shape}");
        }

        return x;
    }

    /// <inheritdoc/>
    public override Value?[] Gradient(Value node, Value grad)
    {
        Value x = node.Input(0);
        double eps = node.Attributes.GetDouble("eps");
        if (!node.Attributes.GetBool("training"))
        {
            // dx = grad·weight/σ with the running statistics, and the parameters' sums as in training mode.
            int rank = x.Shape.Rank;
            int channels = x.Shape[1];
            int[] axes = [0, .. Enumerable.Range(2, rank - 2)];
            int[] perChannel = [1, channels, .. Enumerable.Repeat(1, rank - 2)];
            Value runningInvStd = (node.Input(4) + eps).Pow(-0.5);
            Value normalized = (x - node.Input(3).Reshape(perChannel)) * runningInvStd.Reshape(perChannel);
            Value dx = (node.Input(1) * runningInvStd).Reshape(perChannel) * grad;
            return [dx, (grad * normalized).Sum(axes), grad.Sum(axes), null, null];
        }

        // Two passes over the activations: the per-channel sums, then dx = a·grad + b·x + c, where
        // dx = s·(grad − Σgrad/n − x̂·Σgrad·x̂/n) with s = weight/σ and x̂ = (x − mean)/σ, so
        // a = s, b = −s·Σgrad·(x − mean)/(n·σ²) and c = −b·mean − s·Σgrad/n.
        int[] counted = CountScaling.AllButChannels(x.Shape);
        Value sums = BatchNormBackwardReduce.Apply(grad, x);
        Value mean = BatchNormRows.Row(sums, 0);
        Value gradSum = BatchNormRows.Row(sums, 2);
        Value gradDotCentered = BatchNormRows.Row(sums, 3);
        Value invVariance = (BatchNormRows.Row(sums, 1) + eps).Pow(-1);
        Value invStd = invVariance.Pow(0.5);
        Value a = node.Input(1) * invStd;
        Value b = -CountScaling.TimesPerCount(a * gradDotCentered * invVariance, x, counted, 1);
        Value c = -((b * mean) + CountScaling.TimesPerCount(a * gradSum, x, counted, 1));
        Value dxTraining = BatchNormBackwardElementwise.Apply(grad, x, BatchNormRows.Stack(a, b, c));
        return [dxTraining, gradDotCentered * invStd, gradSum, null, null];
    }
}
