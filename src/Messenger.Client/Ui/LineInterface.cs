namespace Messenger.Client.Ui;

/// <summary>
/// For scripts and pipes: reads commands line by line, writes one event per line, never prints prompts (they would
/// mix into event lines).
/// </summary>
public sealed class LineInterface(TextReader input, TextWriter output) : IUserInterface
{
    private readonly Lock writeGate = new();

    public async ValueTask<string?> ReadLineAsync(string prompt, bool secret, CancellationToken cancellationToken) =>
        await input.ReadLineAsync(cancellationToken);

    public void WriteLine(string line)
    {
        lock (writeGate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
