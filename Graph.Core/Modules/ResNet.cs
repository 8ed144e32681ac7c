namespace Graph.Core.Modules;

/// <summary>
/// torchvision's BasicBlock: two 3×3 convolutions with batch norm, and the input added back (through a 1×1
/// convolution and batch norm, the downsample branch, when the stride or the width changes).
/// </summary>
public sealed class BasicBlock : Module
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly (Conv2d Conv, BatchNorm2d Norm)? _downsample;

    /// <summary>Declares the block's parameters under <paramref name="name"/> (<c>layer1.0</c>; <c>""</c> for a block at the root, named <c>conv1.weight</c>, …).</summary>
    public BasicBlock(ModuleBuilder nn, string name, int inPlanes, int planes, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(nn);
        using (nn.Scope(name))
        {
            _conv1 = new Conv2d(nn, "conv1", inPlanes, planes, 3, stride, padding: 1);
            _bn1 = new BatchNorm2d(nn, "bn1", planes);
            _conv2 = new Conv2d(nn, "conv2", planes, planes, 3, 1, padding: 1);
            _bn2 = new BatchNorm2d(nn, "bn2", planes);
            if (stride != 1 || inPlanes != planes)
            {
                using (nn.Scope("downsample"))
                {
                    _downsample = (new Conv2d(nn, "0", inPlanes, planes, 1, stride), new BatchNorm2d(nn, "1", planes));
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override Value Build(Value x)
    {
        Value h = _bn1.Forward(_conv1.Forward(x)).Relu();
        h = _bn2.Forward(_conv2.Forward(h));
        Value identity = _downsample is var (conv, norm) ? norm.Forward(conv.Forward(x)) : x;
        return (h + identity).Relu();
    }

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters()
    {
        IEnumerable<Value> own = [.. _conv1.Parameters(), .. _bn1.Parameters(), .. _conv2.Parameters(), .. _bn2.Parameters()];
        return _downsample is var (conv, norm) ? [.. own, .. conv.Parameters(), .. norm.Parameters()] : own;
    }
}

/// <summary>
/// ResNet-18 with torchvision's architecture and parameter names: a 7×7 stride-2 stem with batch norm, ReLU
/// and 3×3 max pooling, four stages of two BasicBlocks (64, 128, 256, 512 channels; the last three halve the
/// resolution), global average pooling and a linear classifier. Any input from 32×32 up.
/// </summary>
public sealed class ResNet18 : Module
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly BasicBlock[] _blocks;
    private readonly Linear _fc;

    /// <summary>Declares every parameter (<c>conv1.weight</c>, <c>layer1.0.bn1.running_mean</c>, …, <c>fc.bias</c>).</summary>
    public ResNet18(ModuleBuilder nn, int numClasses = 1000, int inChannels = 3)
    {
        ArgumentNullException.ThrowIfNull(nn);
        _conv1 = new Conv2d(nn, "conv1", inChannels, 64, 7, stride: 2, padding: 3);
        _bn1 = new BatchNorm2d(nn, "bn1", 64);
        var blocks = new List<BasicBlock>();
        int inPlanes = 64;
        int[] widths = [64, 128, 256, 512];
        for (int stage = 0; stage < 4; stage++)
        {
            using (nn.Scope($"layer{stage + 1}"))
            {
                blocks.Add(new BasicBlock(nn, "0", inPlanes, widths[stage], stage == 0 ? 1 : 2));
                blocks.Add(new BasicBlock(nn, "1", widths[stage], widths[stage]));
            }

            inPlanes = widths[stage];
        }

        _blocks = blocks.ToArray();
        _fc = new Linear(nn, "fc", 512, numClasses);
    }

    /// <inheritdoc/>
    protected override Value Build(Value x)
    {
        Value h = Ops.MaxPool2d(_bn1.Forward(_conv1.Forward(x)).Relu(), 3, 2, 1);
        foreach (BasicBlock block in _blocks)
        {
            h = block.Forward(h);
        }

        return _fc.Forward(Ops.AdaptiveAvgPool2d(h, 1, 1).Flatten(1));
    }

    /// <inheritdoc/>
    public override IEnumerable<Value> Parameters() =>
        [.. _conv1.Parameters(), .. _bn1.Parameters(), .. _blocks.SelectMany(b => b.Parameters()), .. _fc.Parameters()];
}
