using System.Threading.Channels;

namespace Messenger.Server.Storage;

/// <summary>
/// Group commit for a store whose every commit costs an fsync: writes are queued, and one asynchronous writer loop
/// hands everything queued at that moment to <c>commit</c> as one batch (one transaction, one fsync). A lone write is
/// committed at once; under load, the writes that arrive during one fsync share the next. Each caller's task
/// completes only after the commit that holds its write, so durability is unchanged. The loop awaits new writes; only
/// the commit itself runs synchronously (SQLite has no asynchronous I/O), on one pool thread at a time.
/// </summary>
internal sealed class GroupCommitQueue
{
    /// <summary>Bounds one transaction, so a flood of writes still commits (and answers its callers) steadily.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<QueuedWrite> queue = Channel.CreateUnbounded<QueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<QueuedWrite> batch = new(MaxBatch);
    private readonly Action<IReadOnlyList<QueuedWrite>> commit;
    private readonly Lock gate;

    /// <param name="commit">Runs a batch and completes every write in it (result or failure); called holding <paramref name="gate"/>.</param>
    /// <param name="gate">The store's lock: a batch is taken and committed under it, so a dispose cannot slip in between.</param>
    public GroupCommitQueue(Action<IReadOnlyList<QueuedWrite>> commit, Lock gate)
    {
        this.commit = commit;
        this.gate = gate;
        _ = WriteLoopAsync();
    }

    /// <summary>Queues <paramref name="work"/>; the task completes after its batch committed, with its result.</summary>
    public Task<object?> Enqueue(Func<object?> work)
    {
        var write = new QueuedWrite(work, new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously));
        return queue.Writer.TryWrite(write) ? write.Done.Task : Task.FromException<object?>(new ObjectDisposedException(nameof(GroupCommitQueue)));
    }

    /// <summary>Refuses new writes and commits the ones already queued, on the caller's thread.</summary>
    public void Complete()
    {
        queue.Writer.TryComplete();
        CommitQueued();
    }

    private async Task WriteLoopAsync()
    {
        while (await queue.Reader.WaitToReadAsync())
        {
            CommitQueued();
        }
    }

    private void CommitQueued()
    {
        lock (gate)
        {
            while (true)
            {
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }
                if (batch.Count == 0)
                {
                    return;
                }
                try
                {
                    commit(batch);
                }
                catch (Exception exception)
                {
                    // commit completes each write itself; this only catches what escaped it, so no caller waits forever.
                    foreach (var write in batch)
                    {
                        write.Done.TrySetException(exception);
                    }
                }
                batch.Clear();
            }
        }
    }
}
