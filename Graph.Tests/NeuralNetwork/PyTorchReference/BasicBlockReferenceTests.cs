using Graph.Core;
using Graph.Core.Modules;
using Graph.Serialization;
using Graph.Tests.TestSupport;

namespace Graph.Tests.NeuralNetwork.PyTorchReference;

/// <summary>
/// One training step of torchvision's BasicBlock with a downsample branch matches PyTorch's, from the committed
/// fixtures (tools/pytorch/README.md): the small, always-run version of the ResNet-18 check.
/// </summary>
[TestClass]
public sealed class BasicBlockReferenceTests
{
    [TestMethod]
    [DataRow(DType.Float64)]
    [DataRow(DType.Float32)]
    public void TrainingStep_MatchesPyTorch(DType dtype)
    {
        IReadOnlyDictionary<string, Tensor> reference = SafetensorsFile.Read(PyTorchFixtures.BasicBlock(dtype));

        // At the root ("" scope) the block's names are its own state_dict's: conv1.weight, downsample.0.weight, ...
        ReferenceStep.Run(reference, dtype, nn => new BasicBlock(nn, string.Empty, inPlanes: 4, planes: 8, stride: 2), ReferenceTolerances.Of(dtype));
    }
}
