using Graph.Core;

namespace Graph.Tests.TestSupport;

/// <summary>The committed PyTorch reference data (tools/pytorch/README.md), copied next to the test assembly by the project file.</summary>
internal static class PyTorchFixtures
{
    /// <summary>One training step of torchvision's BasicBlock(4, 8, stride 2) with a downsample branch, in <paramref name="dtype"/>.</summary>
    public static string BasicBlock(DType dtype) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", $"basicblock_{dtype.Name()}.safetensors");

    /// <summary>tools/pytorch/second_order_reference.py's cases: a Hessian-vector product, a gradient penalty, a double backward through conv2d and batch norm.</summary>
    public static string SecondOrder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "second_order_float64.safetensors");

    /// <summary>Forward and gradients of issue 10's shape ops, index ops, layers and losses in float64 (tools/pytorch/ops_layers_reference.py).</summary>
    public static string OpsLayers { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "ops_layers_float64.safetensors");

    /// <summary>Training steps of a two-block TransformerEncoderLayer stack in <paramref name="dtype"/> (tools/pytorch/transformer_reference.py).</summary>
    public static string Transformer(DType dtype) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", $"transformer_{dtype.Name()}.safetensors");

    /// <summary>Forward values and gradients of the elementwise ops and reductions of issue 10 (tools/pytorch/elementwise_reference.py).</summary>
    public static string Elementwise => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "elementwise_float64.safetensors");

    /// <summary>Optimizer steps on fixed gradients, lr schedules and clip_grad_norm_ (tools/pytorch/optimizer_reference.py).</summary>
    public static string Optimizers =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "optimizers.safetensors");
}
