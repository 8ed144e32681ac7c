using Graph.Core;

namespace Graph.Runtime;

/// <summary>
/// The shared shape of an optimizer, as <c>torch.optim.Optimizer</c>: it updates every parameter of a session that
/// requires a gradient and that a backward pass reached (others are skipped, as PyTorch skips a None grad), and
/// keeps its state in the session so that a saved session carries it.
/// </summary>
public abstract class Optimizer
{
    private readonly Value[] _parameters;
    private readonly Tensor?[] _scratch;

    /// <summary>An optimizer of every parameter of <paramref name="session"/> that requires a gradient.</summary>
    protected Optimizer(Session session)
    {
        Session = session ?? throw new ArgumentNullException(nameof(session));
        _parameters = session.Parameters.Where(p => p.RequiresGrad).ToArray();
        _scratch = new Tensor?[_parameters.Length];
    }

    /// <summary>The session whose parameters this optimizer updates.</summary>
    protected Session Session { get; }

    /// <summary>Updates every parameter a backward pass reached.</summary>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (Session.ReachedGradient(_parameters[i]) is Tensor grad)
            {
                Update(_parameters[i], grad, i);
            }
        }
    }

    /// <summary>Fills every gradient with zeros.</summary>
    public void ZeroGrad() => Session.ZeroGrad();

    /// <summary>Updates one parameter from its gradient; <paramref name="index"/> identifies it for <see cref="Scratch"/>.</summary>
    private protected abstract void Update(Value parameter, Tensor grad, int index);

    /// <summary>A buffer of the parameter's type for intermediate terms (weight-decayed gradients), allocated on first use only.</summary>
    private protected Tensor Scratch(Value parameter, int index) => _scratch[index] ??= Tensor.Zeros(parameter.Shape, parameter.DType);
}
