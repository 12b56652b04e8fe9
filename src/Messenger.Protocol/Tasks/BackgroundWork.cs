namespace Messenger.Protocol.Tasks;

/// <summary>
/// The owner of background work that no caller awaits inline (the server's connections; the client's answers,
/// activity reports, private sessions, the event pump): each task is tracked while it runs, a failure it did not
/// handle itself is reported once to <c>onFailure</c> with what the work was, and <see cref="DrainAsync"/> awaits what
/// still runs at shutdown. Nothing started here can fail unseen. In Protocol because server and client both use it.
/// </summary>
public sealed class BackgroundWork(Action<string, Exception> onFailure)
{
    private readonly Lock gate = new();
    private readonly HashSet<Task> running = [];

    /// <summary>Tasks still running.</summary>
    public int Running
    {
        get
        {
            lock (gate)
            {
                return running.Count;
            }
        }
    }

    /// <summary>Starts <paramref name="work"/> now (on this thread up to its first await) and owns it.</summary>
    public void Run(string what, Func<Task> work) => Track(GuardAsync(what, work));

    /// <summary>Waits for the work still running, at most <paramref name="timeout"/>; false if some was still running.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        Task[] snapshot;
        lock (gate)
        {
            snapshot = [.. running];
        }
        try
        {
            await Task.WhenAll(snapshot).WaitAsync(timeout); // Guarded: these tasks never fault.
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task GuardAsync(string what, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception ex)
        {
            onFailure(what, ex);
        }
    }

    private void Track(Task task)
    {
        lock (gate)
        {
            if (!task.IsCompleted)
            {
                running.Add(task);
            }
        }
        // Runs at once if the task is already done; Forget cannot throw, so this continuation never faults.
        _ = task.ContinueWith(static (done, owner) => ((BackgroundWork)owner!).Forget(done), this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Forget(Task task)
    {
        lock (gate)
        {
            running.Remove(task);
        }
    }
}
