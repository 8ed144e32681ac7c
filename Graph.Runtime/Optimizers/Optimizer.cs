using Graph.Core;
using Graph.Runtime.Execution;
using Graph.Runtime.Kernels;

namespace Graph.Runtime;

/// <summary>
/// The shared shape of an optimizer, as <c>torch.optim.Optimizer</c>: it updates every parameter of a session that
/// requires a gradient and that a backward pass reached (others are skipped, as PyTorch skips a None grad), and
/// keeps its state in the session so that a saved session carries it.
/// </summary>
/// <remarks>
/// A step is one parallel loop on the session's threads over fixed parts of every parameter (64K elements, see
/// <see cref="FixedParts"/>): the state each parameter needs (step counts, buffers) is looked up first, on the calling
/// thread, and each part then runs every pass of its parameter's update while the part is in cache.
/// </remarks>
public abstract class Optimizer
{
    private readonly Value[] _parameters;
    private readonly Tensor?[] _scratch;
    private readonly Tensor?[] _grads;
    private readonly Tensor?[] _values;

    // Parameter i owns parts [_firstPart[i], _firstPart[i + 1]) of the step's loop.
    private readonly int[] _firstPart;

    /// <summary>An optimizer of every parameter of <paramref name="session"/> that requires a gradient.</summary>
    protected Optimizer(Session session)
    {
        Session = session ?? throw new ArgumentNullException(nameof(session));
        _parameters = session.Parameters.Where(p => p.RequiresGrad).ToArray();
        _scratch = new Tensor?[_parameters.Length];
        _grads = new Tensor?[_parameters.Length];
        _values = new Tensor?[_parameters.Length];
        _firstPart = new int[_parameters.Length + 1];
        for (int i = 0; i < _parameters.Length; i++)
        {
            _firstPart[i + 1] = _firstPart[i] + FixedParts.Count(_parameters[i].Shape.ElementCount, FixedParts.Elements);
        }
    }

    /// <summary>The session whose parameters this optimizer updates.</summary>
    protected Session Session { get; }

    /// <summary>How many parameters this optimizer updates: the range of the indices <see cref="Prepare"/> and <see cref="Update"/> see.</summary>
    private protected int ParameterCount => _parameters.Length;

    /// <summary>Updates every parameter a backward pass reached.</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the session.</exception>
    public void Step()
    {
        using SessionUse.Scope use = Session.Enter("Step");
        bool any = false;
        for (int i = 0; i < _parameters.Length; i++)
        {
            _grads[i] = Session.ReachedGradient(_parameters[i]);
            if (_grads[i] is not null)
            {
                _values[i] = Session.ParameterValue(_parameters[i]);
                Prepare(i, _parameters[i]);
                any = true;
            }
        }

        if (any)
        {
            Session.Team.For(_firstPart[^1], new StepBody(this));
        }
    }

    /// <summary>Fills every gradient with zeros.</summary>
    public void ZeroGrad() => Session.ZeroGrad();

    /// <summary>
    /// Gets parameter <paramref name="index"/>'s state ready for this step (counts the step, creates buffers), on the
    /// calling thread, before any part of the step runs.
    /// </summary>
    private protected abstract void Prepare(int index, Value parameter);

    /// <summary>
    /// Updates elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of parameter
    /// <paramref name="index"/> from its gradient; parts of one step run at the same time, each on its own elements.
    /// </summary>
    private protected abstract void Update(int index, Tensor parameter, Tensor grad, int start, int count);

    /// <summary>A buffer of the parameter's type for intermediate terms (weight-decayed gradients), allocated on first use only.</summary>
    private protected Tensor Scratch(Value parameter, int index) => _scratch[index] ??= Tensor.Zeros(parameter.Shape, parameter.DType);

    /// <summary>Part p of a step: its parameter's fixed range, when a backward pass reached that parameter.</summary>
    private readonly struct StepBody(Optimizer optimizer) : IParallelBody
    {
        public void Run(int part, int worker)
        {
            // Every parameter owns at least one part (an empty one if it has no elements), so the starts strictly increase.
            int index = Array.BinarySearch(optimizer._firstPart, part);
            index = index >= 0 ? index : ~index - 1;

            if (optimizer._grads[index] is Tensor grad)
            {
                (int start, int count) = FixedParts.Range(part - optimizer._firstPart[index], (int)grad.ElementCount);
                optimizer.Update(index, optimizer._values[index]!, grad, start, count);
            }
        }
    }
}
