using Graph.Core;
using Graph.Runtime;

namespace Graph.Serialization;

/// <summary>One optimizer slot of a saved session: a momentum buffer or moment of one parameter.</summary>
/// <param name="Parameter">The parameter the slot belongs to.</param>
/// <param name="Slot">The slot's name, as the optimizer keys it (<c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>).</param>
/// <param name="Value">The slot's contents, of the parameter's type.</param>
internal readonly record struct SavedSlot(Value Parameter, string Slot, Tensor Value);

/// <summary>What a saved session adds to its graph: its run state (the forward-pass count) and the optimizer's slots and step counts.</summary>
internal sealed class SessionState(IReadOnlyList<SavedSlot> slots, IReadOnlyList<(Value Parameter, long Step)> steps, long forwardPasses)
{
    /// <summary>The forward passes the session had completed: dropout's masks continue from it.</summary>
    public long ForwardPasses { get; } = forwardPasses;

    /// <summary>Every slot.</summary>
    public IReadOnlyList<SavedSlot> Slots { get; } = slots;

    /// <summary>Every parameter's step count.</summary>
    public IReadOnlyList<(Value Parameter, long Step)> Steps { get; } = steps;

    /// <summary>Puts the forward-pass count into <paramref name="session"/>, and the slots and step counts into its optimizer state.</summary>
    public void RestoreInto(Session session)
    {
        session.ForwardPasses = ForwardPasses;
        foreach (SavedSlot slot in Slots)
        {
            session.OptimizerState.Set(slot.Parameter.Id, slot.Slot, slot.Value.Clone());
        }

        foreach ((Value parameter, long step) in Steps)
        {
            session.OptimizerState.SetStep(parameter.Id, step);
        }
    }
}
