namespace Graph.Runtime;

/// <summary>How <see cref="OneCycleLr"/> moves between two values within a phase (torch's <c>anneal_strategy</c>).</summary>
public enum AnnealStrategy
{
    /// <summary>Half a cosine, torch's default <c>'cos'</c>: end + (start − end)/2·(1 + cos(π·pct)).</summary>
    Cos,

    /// <summary>A straight line, torch's <c>'linear'</c>: (end − start)·pct + start.</summary>
    Linear,
}
