namespace Graph.Cli.Training;

/// <summary>The options of <c>graph train</c> are wrong; the message says which and how, for the user.</summary>
/// <param name="message">What is wrong, as a sentence.</param>
internal sealed class TrainOptionsException(string message) : Exception(message);
