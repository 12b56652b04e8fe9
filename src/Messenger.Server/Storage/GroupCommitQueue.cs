using System.Threading.Channels;

namespace Messenger.Server.Storage;

/// <summary>
/// Group commit for a store whose every commit costs an fsync: writes are queued, and one writer thread hands
/// everything queued at that moment to <c>commit</c> as one batch (one transaction, one fsync). A lone write is
/// committed at once; under load, the writes that arrive during one fsync share the next. Each caller's task
/// completes only after the commit that holds its write, so durability is unchanged.
/// </summary>
internal sealed class GroupCommitQueue : IDisposable
{
    /// <summary>Bounds one transaction, so a flood of writes still commits (and answers its callers) steadily.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<QueuedWrite> queue = Channel.CreateUnbounded<QueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<IReadOnlyList<QueuedWrite>> commit;
    private readonly Thread writer;

    /// <param name="commit">Runs a batch and completes every write in it (result or failure); runs on the writer thread.</param>
    public GroupCommitQueue(Action<IReadOnlyList<QueuedWrite>> commit, string name)
    {
        this.commit = commit;
        // A thread of its own: the fsync blocks, and must never hold up a thread-pool thread that routes messages.
        writer = new Thread(WriteLoop) { IsBackground = true, Name = name };
        writer.Start();
    }

    /// <summary>Queues <paramref name="work"/>; the task completes after its batch committed, with its result.</summary>
    public Task<object?> Enqueue(Func<object?> work)
    {
        var write = new QueuedWrite(work, new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously));
        return queue.Writer.TryWrite(write) ? write.Done.Task : Task.FromException<object?>(new ObjectDisposedException(nameof(GroupCommitQueue)));
    }

    /// <summary>Refuses new writes, commits the ones already queued, and waits for the writer to finish.</summary>
    public void Dispose()
    {
        queue.Writer.TryComplete();
        if (Thread.CurrentThread != writer)
        {
            writer.Join();
        }
    }

    private void WriteLoop()
    {
        var reader = queue.Reader;
        var batch = new List<QueuedWrite>(MaxBatch);
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                batch.Add(write);
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
