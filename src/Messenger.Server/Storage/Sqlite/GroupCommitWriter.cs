using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// Group commit for a store whose every commit costs an fsync: writes are queued, and one asynchronous writer loop
/// runs everything queued at that moment as one batch (one transaction, one fsync). A lone write is committed at once;
/// under load, the writes that arrive during one fsync share the next. Each caller's task completes only after the
/// commit that holds its write, so durability is unchanged. The loop awaits new writes; only the commit itself runs
/// synchronously (SQLite has no asynchronous I/O), on one pool thread at a time.
/// </summary>
internal sealed class GroupCommitWriter
{
    /// <summary>Bounds one transaction, so a flood of writes still commits (and answers its callers) steadily.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<IQueuedWrite> queue = Channel.CreateUnbounded<IQueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<IQueuedWrite> batch = new(MaxBatch);
    private readonly SqliteConnection connection;
    private readonly IReadOnlyList<SqliteCommand> commands;
    private readonly Lock gate;
    private readonly Task loop;
    private long commits;

    /// <param name="connection">The writing connection.</param>
    /// <param name="commands">Its prepared statements, each joined to every transaction (the list may grow later).</param>
    /// <param name="gate">The database's lock: a batch is taken and committed under it, so a dispose cannot slip in between.</param>
    public GroupCommitWriter(SqliteConnection connection, IReadOnlyList<SqliteCommand> commands, Lock gate)
    {
        this.connection = connection;
        this.commands = commands;
        this.gate = gate;
        loop = WriteLoopAsync();
    }

    /// <summary>How many transactions have committed; tests use it to see that queued writes share one.</summary>
    internal long Commits => Interlocked.Read(ref commits);

    /// <summary>
    /// Queues <paramref name="work"/>; the task completes after its batch committed, with its result. A token
    /// cancelled before the call cancels the task and writes nothing.
    /// </summary>
    public Task<T> Enqueue<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        var write = new QueuedWrite<T>(work);
        return queue.Writer.TryWrite(write) ? write.Task : Task.FromException<T>(new ObjectDisposedException(nameof(GroupCommitWriter)));
    }

    /// <summary>
    /// Refuses new writes and commits the ones already queued, on the caller's thread. After it returns nothing can
    /// be queued or committed, so the caller may close the connection.
    /// </summary>
    public void Complete()
    {
        queue.Writer.TryComplete();
        CommitQueued();
    }

    /// <summary>
    /// Called after <see cref="Complete"/>, without the database's lock (the loop may be waiting for it): the loop ends
    /// once it sees the queue completed, and a failure of its own surfaces here, to the store's owner.
    /// </summary>
#pragma warning disable VSTHRD002 // The store's Dispose is synchronous (SQLite's is); the loop has no work left and ends at once.
    public void WaitForLoop(TimeSpan timeout) => loop.Wait(timeout);
#pragma warning restore VSTHRD002

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync())
            {
                CommitQueued();
            }
        }
        catch (Exception failure)
        {
            // Never seen (each batch's failure goes to its callers), but a dead loop must not leave writes waiting:
            // what is queued fails with the cause, later writes are refused, and the owner sees it at dispose.
            queue.Writer.TryComplete(failure);
            while (queue.Reader.TryRead(out var write))
            {
                write.Fail(failure);
            }
            throw;
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
                    CommitBatch(batch);
                }
                catch (Exception exception)
                {
                    // CommitBatch completes each write itself; this only catches what escaped it, so no caller waits forever.
                    foreach (var write in batch)
                    {
                        write.Fail(exception);
                    }
                }
                batch.Clear();
            }
        }
    }

    /// <summary>
    /// Runs one batch in one transaction. If any write in it fails, the batch is rolled back and each write is run
    /// again in a transaction of its own, so one bad write fails only its own caller.
    /// </summary>
    private void CommitBatch(List<IQueuedWrite> writes)
    {
        if (writes.Count > 1 && TryInTransaction(writes, out _))
        {
            foreach (var write in writes)
            {
                write.Succeed();
            }
            return;
        }
        foreach (var write in writes)
        {
            if (TryInTransaction([write], out var failure))
            {
                write.Succeed();
            }
            else
            {
                write.Fail(failure!);
            }
        }
    }

    /// <summary>Caller holds the gate. Runs the writes and commits them together, or rolls all of them back.</summary>
    private bool TryInTransaction(IReadOnlyList<IQueuedWrite> writes, out Exception? failure)
    {
        failure = null;
        try
        {
            return CommitAlone(() =>
            {
                foreach (var write in writes)
                {
                    write.Run();
                }
                return true;
            });
        }
        catch (Exception exception) when (exception is SqliteException or InvalidOperationException or ArgumentException or FormatException or InvalidCastException)
        {
            failure = exception;
            return false;
        }
    }

    /// <summary>
    /// Caller holds the gate. Runs <paramref name="work"/> in a transaction of its own and commits it before returning,
    /// or rolls it back and throws: for work that must know its commit happened before it changes anything else.
    /// </summary>
    public T CommitAlone<T>(Func<T> work)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var transaction = connection.BeginTransaction();
        SetTransaction(transaction);
        try
        {
            var result = work();
            transaction.Commit();
            Interlocked.Increment(ref commits);
            Hosting.ServerMetrics.StoreCommitted(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return result;
        }
        finally
        {
            SetTransaction(null);
        }
    }

    private void SetTransaction(SqliteTransaction? transaction)
    {
        foreach (var command in commands)
        {
            command.Transaction = transaction;
        }
    }
}
