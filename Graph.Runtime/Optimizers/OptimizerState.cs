using Graph.Core;

namespace Graph.Runtime;

/// <summary>
/// An optimizer's per-parameter state, kept in the session (so a saved session carries it): named slots
/// (momentum buffers, moments) and a step count per parameter, as <c>optimizer.state[p]</c> in PyTorch.
/// </summary>
internal sealed class OptimizerState
{
    private readonly Dictionary<(int Parameter, string Slot), Tensor> _slots = [];
    private readonly Dictionary<int, long> _steps = [];

    /// <summary>Every slot, for saving.</summary>
    public IEnumerable<KeyValuePair<(int Parameter, string Slot), Tensor>> Slots => _slots;

    /// <summary>Every step count, for saving.</summary>
    public IEnumerable<KeyValuePair<int, long>> Steps => _steps;

    /// <summary>The slot's tensor, or null when the optimizer has not created it yet.</summary>
    public Tensor? Find(Value parameter, string slot) => _slots.GetValueOrDefault((parameter.Id, slot));

    /// <summary>The slot's tensor, created (zeroed, like the parameter) on first use; <paramref name="created"/> tells which.</summary>
    public Tensor GetOrCreate(Value parameter, string slot, out bool created)
    {
        created = !_slots.TryGetValue((parameter.Id, slot), out Tensor? tensor);
        if (created)
        {
            tensor = Tensor.Zeros(parameter.Shape, parameter.DType);
            _slots.Add((parameter.Id, slot), tensor);
        }

        return tensor!;
    }

    /// <summary>Restores a slot, as a loaded file does.</summary>
    public void Set(int parameterId, string slot, Tensor value) => _slots[(parameterId, slot)] = value;

    /// <summary>
    /// Adds one to the parameter's step count and returns the new count. The count stops at
    /// <see cref="long.MaxValue"/> instead of wrapping to a negative one, whose bias correction would be infinite.
    /// </summary>
    public long IncrementStep(Value parameter)
    {
        long previous = _steps.GetValueOrDefault(parameter.Id);
        long step = previous == long.MaxValue ? previous : previous + 1;
        _steps[parameter.Id] = step;
        return step;
    }

    /// <summary>Restores a step count, as a loaded file does.</summary>
    public void SetStep(int parameterId, long step) => _steps[parameterId] = step;
}
