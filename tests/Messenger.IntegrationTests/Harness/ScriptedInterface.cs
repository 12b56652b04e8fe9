using System.Threading.Channels;
using Messenger.Client.Ui;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// A user at a keyboard, scripted: <see cref="Type"/> queues lines for the client to read, and every line the
/// client prints is recorded so tests can wait for it (with a timeout, never a sleep).
/// </summary>
public sealed partial class ScriptedInterface : IUserInterface
{
    private readonly Channel<string?> input = Channel.CreateUnbounded<string?>();
    private readonly List<string> lines = [];
    private readonly Lock gate = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int cursor;

    private readonly List<string> prompts = [];

    /// <summary>A copy of the prompts asked so far (the client adds to them on its own threads while a test reads).</summary>
    public IReadOnlyList<string> Prompts
    {
        get
        {
            lock (gate)
            {
                return [.. prompts];
            }
        }
    }

    public void Type(string line) => input.Writer.TryWrite(line);

    /// <summary>End of input (like Ctrl+D or a closed pipe).</summary>
    public void CloseInput() => input.Writer.TryComplete();

    public async ValueTask<string?> ReadLineAsync(string prompt, bool secret, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            prompts.Add(prompt);
        }
        Signal();
        return await input.Reader.WaitToReadAsync(cancellationToken) && input.Reader.TryRead(out var line) ? line : null;
    }

    /// <summary>False to behave like pipe mode's LineInterface, which is never asked a question (e.g. "Create it? (y/N)").</summary>
    public bool AsksQuestions { get; init; } = true;

    /// <summary>Like a pipe: progress comes as event lines, so tests can wait for it.</summary>
    public bool ShowsLiveStatus => false;

    public void SetStatus(string key, string? status)
    {
    }

    /// <summary>Lines for which writing throws, as a broken screen would (to prove the client does not go on deaf).</summary>
    public Func<string, bool>? BreaksOn { get; set; }

    public void WriteLine(string line)
    {
        if (BreaksOn?.Invoke(line) == true)
        {
            throw new InvalidOperationException("the screen broke");
        }
        lock (gate)
        {
            lines.Add(line);
        }
        Signal();
    }

    /// <summary>
    /// The lines without the send time a message that waited for its reader carries (" (sent 2026-12-04 21:03)"): for
    /// tests about which messages were shown, in what order, whether they waited or not.
    /// </summary>
    public IReadOnlyList<string> Messages => [.. Lines.Select(line => SentTime().Replace(line, ""))];

    [System.Text.RegularExpressions.GeneratedRegex(@" \(sent \d{4}-\d\d-\d\d \d\d:\d\d\)$")]
    private static partial System.Text.RegularExpressions.Regex SentTime();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
            {
                return [.. lines];
            }
        }
    }

    /// <summary>Waits for the next line (after the last one matched) that contains <paramref name="text"/>, and returns it.</summary>
    public Task<string> WaitForLineAsync(string text) => WaitForAsync(line => line.Contains(text, StringComparison.Ordinal), $"a line containing \"{text}\"");

    public async Task<string> WaitForAsync(Func<string, bool> predicate, string description)
    {
        using var timeout = new CancellationTokenSource(TestDefaults.EventTimeout);
        while (true)
        {
            Task wait;
            lock (gate)
            {
                for (var i = cursor; i < lines.Count; i++)
                {
                    if (predicate(lines[i]))
                    {
                        cursor = i + 1;
                        return lines[i];
                    }
                }
                wait = changed.Task;
            }
            try
            {
                await wait.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new AssertFailedException($"Timed out waiting for {description}. Lines so far:\n  " + string.Join("\n  ", Lines));
            }
        }
    }

    /// <summary>Waits until the client asks for input with this prompt (e.g. "Password: ") for the n-th time.</summary>
    public async Task WaitForPromptAsync(string prompt, int occurrence)
    {
        using var timeout = new CancellationTokenSource(TestDefaults.EventTimeout);
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (prompts.Count(p => p == prompt) >= occurrence)
                {
                    return;
                }
                wait = changed.Task;
            }
            try
            {
                await wait.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new AssertFailedException($"Timed out waiting for prompt '{prompt}' #{occurrence}. Lines:\n  " + string.Join("\n  ", Lines));
            }
        }
    }

    /// <summary>Lines printed since the last matched line (for "nothing else was shown" checks after a barrier).</summary>
    public IReadOnlyList<string> LinesSinceCursor
    {
        get
        {
            lock (gate)
            {
                return lines.Skip(cursor).ToList();
            }
        }
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }
}
