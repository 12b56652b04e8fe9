namespace Messenger.Client.Session;

/// <summary>
/// Messages sent and not yet answered by the server, in the order they were sent: they go again, same ids, after a
/// reconnect (the server answers a resend with what became of the first). Ids start from the clock, so they stay
/// unique per sender across client restarts too (the server's and recipients' resend checks need nothing more).
/// </summary>
public sealed class Outbox(TimeProvider time)
{
    private readonly SortedDictionary<long, OutboxEntry> entries = [];
    private readonly Lock gate = new();
    private long nextMessageId = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    private TaskCompletionSource empty = NewSignal();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Keeps a new message until it is answered.</summary>
    public OutboxEntry Add(string to, string text)
    {
        lock (gate)
        {
            var entry = new OutboxEntry(++nextMessageId, to, text);
            if (entries.Count == 0)
            {
                empty = NewSignal();
            }
            entries.Add(entry.MessageId, entry);
            return entry;
        }
    }

    /// <summary>The server answered it (delivered, stored or refused): it is not sent again.</summary>
    public void Answered(long messageId)
    {
        lock (gate)
        {
            entries.Remove(messageId);
            if (entries.Count == 0)
            {
                empty.TrySetResult();
            }
        }
    }

    /// <summary>Everything still unanswered, oldest first.</summary>
    public List<OutboxEntry> Unanswered()
    {
        lock (gate)
        {
            return [.. entries.Values];
        }
    }

    /// <summary>Completes when nothing is left unanswered.</summary>
    public Task WhenEmpty()
    {
        lock (gate)
        {
            return entries.Count == 0 ? Task.CompletedTask : empty.Task;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
