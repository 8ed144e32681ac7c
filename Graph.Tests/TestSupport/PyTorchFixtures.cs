using Graph.Core;

namespace Graph.Tests.TestSupport;

/// <summary>The committed PyTorch reference data (tools/pytorch/README.md), copied next to the test assembly by the project file.</summary>
internal static class PyTorchFixtures
{
    /// <summary>One training step of torchvision's BasicBlock(4, 8, stride 2) with a downsample branch, in <paramref name="dtype"/>.</summary>
    public static string BasicBlock(DType dtype) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", $"basicblock_{dtype.Name()}.safetensors");

    /// <summary>Optimizer steps on fixed gradients, lr schedules and clip_grad_norm_ (tools/pytorch/optimizer_reference.py).</summary>
    public static string Optimizers =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "optimizers.safetensors");
}
