using Graph.Runtime.Kernels;

namespace Graph.Tests.Runtime.Gemm;

/// <summary>Workspaces for a kernel path named in a DataRow; a path the hardware lacks makes the test inconclusive.</summary>
internal static class GemmPaths
{
    public static GemmWorkspace Workspace(string path)
    {
        GemmKernelPath kernelPath = Enum.Parse<GemmKernelPath>(path);
        if (!GemmWorkspace.IsSupported(kernelPath))
        {
            Assert.Inconclusive($"This processor cannot run the {path} GEMM kernel.");
        }

        return new GemmWorkspace(kernelPath);
    }
}
