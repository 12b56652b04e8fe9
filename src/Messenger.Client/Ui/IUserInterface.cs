namespace Messenger.Client.Ui;

/// <summary>
/// Where the user types and reads. Terminal: a line editor that keeps the input line intact while events print
/// above it. Pipe: one command per input line, one event per output line. Tests: a scripted implementation.
/// </summary>
public interface IUserInterface
{
    /// <summary>Reads a line; null at end of input. <paramref name="secret"/> hides what is typed on a terminal.</summary>
    ValueTask<string?> ReadLineAsync(string prompt, bool secret, CancellationToken cancellationToken);

    /// <summary>Prints one event line. Safe to call from any task.</summary>
    void WriteLine(string line);

    /// <summary>
    /// True when a person answers the prompts (a terminal): the client may ask a question such as "Create it? (y/N)".
    /// A pipe is not asked anything it did not expect: its lines are commands.
    /// </summary>
    bool AsksQuestions => true;

    /// <summary>True when the interface shows live status (a terminal); otherwise progress is reported as event lines.</summary>
    bool ShowsLiveStatus { get; }

    /// <summary>Sets (or, with null, clears) the live status of <paramref name="key"/>, e.g. a download's progress.</summary>
    void SetStatus(string key, string? status);
}
