namespace Messenger.Client.Ui;

/// <summary>
/// For scripts and pipes: reads commands line by line, writes one event per line, never prints prompts (they would
/// mix into event lines).
/// </summary>
public sealed class LineInterface(TextReader input, TextWriter output) : IUserInterface
{
    private readonly Lock writeGate = new();

    /// <summary>
    /// Console.In blocks even in ReadLineAsync, so the read runs on its own task: the caller can stop waiting (a
    /// timeout, a kick) while the read is still pending.
    /// </summary>
    public async ValueTask<string?> ReadLineAsync(string prompt, bool secret, CancellationToken cancellationToken) =>
        await Task.Run(() => input.ReadLine(), cancellationToken);

    public bool ShowsLiveStatus => false;

    /// <summary>A script's next line is its next command, never the answer to a question it could not foresee.</summary>
    public bool AsksQuestions => false;

    /// <summary>Scripts get progress as event lines instead (at every 10 %).</summary>
    public void SetStatus(string key, string? status)
    {
    }

    public void WriteLine(string line)
    {
        lock (writeGate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
