using Messenger.Client.Ui;

namespace Messenger.Client.Tests.Support;

/// <summary>A user interface that records every line printed, so a test can wait for one (with a timeout, never a sleep).</summary>
internal sealed class RecordingInterface : IUserInterface
{
    private readonly List<string> lines = [];
    private readonly Lock gate = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool ShowsLiveStatus => false;

    public ValueTask<string?> ReadLineAsync(string prompt, bool secret, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public void SetStatus(string key, string? status)
    {
    }

    public void WriteLine(string line)
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            lines.Add(line);
            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    /// <summary>The first line printed that starts with <paramref name="prefix"/>, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (lines.FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal)) is { } found)
                {
                    return found;
                }
                next = changed.Task;
            }
            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No line starting with '{prefix}' within {timeout}; printed: {string.Join(" | ", Lines)}");
            }
        }
    }

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
}
