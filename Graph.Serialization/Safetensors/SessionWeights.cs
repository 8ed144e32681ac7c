using Graph.Core;
using Graph.Runtime;

namespace Graph.Serialization;

/// <summary>
/// Exchanges a session's parameters with PyTorch through safetensors files, by name: a model built with
/// <c>Graph.Core.Modules</c> names its parameters as its PyTorch twin's <c>state_dict</c> does
/// (<c>layer1.0.bn1.running_mean</c>), so <c>safetensors.torch.save_file(model.state_dict(), path)</c> loads here
/// and a file saved here loads with <c>model.load_state_dict(safetensors.torch.load_file(path))</c>.
/// </summary>
/// <remarks>
/// <para>
/// PyTorch's BatchNorm has one buffer Graph's has not: <c>num_batches_tracked</c>, which PyTorch reads only when
/// momentum is None (a cumulative average), a mode Graph does not have. Loading skips it, explicitly: a tensor
/// named <c>&lt;module&gt;.num_batches_tracked</c> is reported in <see cref="WeightLoadResult.Ignored"/> when the
/// session has <c>&lt;module&gt;.running_mean</c>. Saving leaves it out, and PyTorch's BatchNorm fills it with 0
/// when a plain dict of tensors lacks it, so strict loading in PyTorch still succeeds.
/// </para>
/// <para>Loading copies values only; it never converts a dtype or reshapes a tensor.</para>
/// </remarks>
public static class SessionWeights
{
    /// <summary>Last name parts of PyTorch buffers that have no parameter in Graph and that loading skips.</summary>
    public static IReadOnlyList<string> PyTorchOnlyBuffers { get; } = ["num_batches_tracked"];

    /// <summary>
    /// Copies the tensors of the safetensors file at <paramref name="path"/> into the parameters of
    /// <paramref name="session"/> with the same names. See <see cref="Load(Session, IReadOnlyDictionary{string, Tensor}, bool, string)"/>.
    /// </summary>
    /// <exception cref="WeightLoadException">The weights do not fit the session; nothing was copied.</exception>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WeightLoadResult Load(Session session, string path, bool strict = true, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load(session, SafetensorsFile.Read(path), $"'{path}'", strict, prefix);
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> into the parameters of <paramref name="session"/> with the same names, as
    /// PyTorch's <c>load_state_dict</c> does; running statistics are parameters, so they load too.
    /// </summary>
    /// <param name="session">The session whose parameters are overwritten.</param>
    /// <param name="tensors">The weights by name.</param>
    /// <param name="strict">
    /// When true, every parameter of the session must have a tensor and every tensor a parameter (PyTorch-only
    /// buffers aside). When false, parameters without a tensor keep their values and tensors without a parameter
    /// are skipped; the result lists both.
    /// </param>
    /// <param name="prefix">
    /// Only names that start with it are weights, with it removed: <c>"param/"</c> reads the parameters of a file
    /// that also holds gradients under <c>grad/</c>. Other names are not compared at all.
    /// </param>
    /// <exception cref="WeightLoadException">
    /// A name is missing or unexpected (when <paramref name="strict"/>), or a shape or dtype differs from the
    /// parameter's (always). Every problem is listed; nothing was copied.
    /// </exception>
    public static WeightLoadResult Load(Session session, IReadOnlyDictionary<string, Tensor> tensors, bool strict = true, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tensors);
        return Load(session, tensors, "the tensors given", strict, prefix);
    }

    /// <summary>
    /// Writes every parameter of <paramref name="session"/>, running statistics and frozen ones included, to a
    /// safetensors file at <paramref name="path"/> under its name, replacing any file there atomically.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the session.</exception>
    public static void Save(Session session, string path)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using SessionUse.Scope use = session.Enter("SessionWeights.Save"); // a step on another thread would tear the file

        // "format": "pt" is what safetensors.torch writes; Hugging Face loaders check it before trusting the names.
        SafetensorsFile.Write(
            path,
            session.Parameters.Select(p => KeyValuePair.Create(p.Name, session.ParameterValue(p))),
            new Dictionary<string, string> { ["format"] = "pt" });
    }

    private static WeightLoadResult Load(Session session, IReadOnlyDictionary<string, Tensor> tensors, string source, bool strict, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        using SessionUse.Scope use = session.Enter("SessionWeights.Load"); // a step on another thread would read half-copied weights
        Dictionary<string, Value> parameters = session.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        var loaded = new List<(Tensor From, Tensor To)>();
        var missing = new List<string>();
        foreach (Value p in session.Parameters)
        {
            if (!tensors.TryGetValue(prefix + p.Name, out Tensor? t))
            {
                missing.Add(p.Name);
                if (strict)
                {
                    problems.Add($"'{p.Name}' {p.Type}: the session has this parameter but {source} has no tensor '{prefix}{p.Name}'. Add it to the weights, or load with strict: false to keep the session's value.");
                }
            }
            else if (t.Shape != p.Shape || t.DType != p.DType)
            {
                problems.Add(Mismatch(p, prefix + p.Name, t, source));
            }
            else
            {
                loaded.Add((t, session.ParameterValue(p)));
            }
        }

        var unexpected = new List<string>();
        var ignored = new List<string>();
        foreach (string key in tensors.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string name = key[prefix.Length..];
            if (parameters.ContainsKey(name))
            {
                continue;
            }

            if (IsPyTorchOnlyBuffer(name, parameters))
            {
                ignored.Add(name);
                continue;
            }

            unexpected.Add(name);
            if (strict)
            {
                problems.Add($"'{key}' {tensors[key].DType.Name()}{tensors[key].Shape}: {source} holds this tensor but the session has no parameter '{name}'{PrefixHint(key, parameters.Keys)}. Rename or remove it, or load with strict: false to skip it.");
            }
        }

        if (problems.Count > 0)
        {
            throw new WeightLoadException(source, problems);
        }

        foreach ((Tensor from, Tensor to) in loaded)
        {
            from.CopyTo(to);
        }

        return new WeightLoadResult(
            session.Parameters.Select(p => p.Name).Except(missing).ToArray(), missing.ToArray(), unexpected.ToArray(), ignored.ToArray());
    }

    private static string Mismatch(Value parameter, string key, Tensor tensor, string source)
    {
        var fixes = new List<string>();
        if (tensor.Shape != parameter.Shape)
        {
            fixes.Add("The weights come from a model of other sizes: build the model with the sizes they were saved from.");
        }

        if (tensor.DType != parameter.DType)
        {
            fixes.Add($"Build the model in {tensor.DType.Name()} (ModuleBuilder's dtype), or convert the weights to {parameter.DType.Name()} before saving them (in PyTorch: model.to(torch.{parameter.DType.Name()})).");
        }

        return $"'{key}': {source} holds {tensor.DType.Name()}{tensor.Shape} but the session's parameter '{parameter.Name}' is {parameter.Type}. {string.Join(' ', fixes)}";
    }

    private static bool IsPyTorchOnlyBuffer(string name, Dictionary<string, Value> parameters)
    {
        int dot = name.LastIndexOf('.');
        return dot > 0
            && PyTorchOnlyBuffers.Contains(name[(dot + 1)..], StringComparer.Ordinal)
            && parameters.ContainsKey(name[..(dot + 1)] + "running_mean");
    }

    /// <summary>When <paramref name="key"/> is a parameter's name behind some prefix (<c>module.</c>, <c>param/</c>), says to pass it.</summary>
    private static string PrefixHint(string key, IEnumerable<string> names)
    {
        string? name = names.FirstOrDefault(n => key.Length > n.Length && key.EndsWith(n, StringComparison.Ordinal) && key[^(n.Length + 1)] is '.' or '/');
        return name is null ? string.Empty : $" (it may be '{name}' behind a prefix: pass prefix: \"{key[..^name.Length]}\")";
    }
}
