namespace Graph.Core.Operations;

/// <summary>Facts about an op that passes rely on.</summary>
[Flags]
public enum OpTraits
{
    /// <summary>Nothing special.</summary>
    None = 0,

    /// <summary>
    /// Output element i depends only on element i of each input of the output's shape, so the output may
    /// be written over input 0 when input 0 dies at this op and has the output's type (NNVM's FInplaceOption).
    /// </summary>
    ElementwiseInPlace = 1,

    /// <summary>The output has the same bytes as input 0 (reshape): the planner may alias them.</summary>
    Alias = 2,

    /// <summary>
    /// The kernel also writes some of its inputs (batch normalization's running statistics, which must be
    /// parameters): the op has an effect besides its output, so passes never drop it as dead or treat it as pure.
    /// </summary>
    UpdatesInputs = 4,
}
