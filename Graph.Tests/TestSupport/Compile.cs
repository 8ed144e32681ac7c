using Graph.Compiler;
using Graph.Core;
using Graph.Runtime;

namespace Graph.Tests.TestSupport;

/// <summary>Short ways to compile a graph into a session, for tests.</summary>
internal static class Compile
{
    /// <summary>A session of <paramref name="builder"/>'s graph with <paramref name="roots"/> as gradient roots and <paramref name="outputs"/> readable.</summary>
    public static Session Session(GraphBuilder builder, Value[] roots, Value[]? outputs = null, Value[]? retainGrad = null) =>
        new(GraphCompiler.Compile(builder.Build(), new CompileOptions { GradientRoots = roots, Outputs = outputs ?? [], RetainGrad = retainGrad ?? [] }));
}
