using Messenger.Protocol.Tasks;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.History;

/// <summary>
/// The owner of store writes nobody waits for before answering (direct-message history): their tasks are tracked, a
/// failure is logged, and the server waits for what is queued when it stops, a history read before it reads.
/// </summary>
public sealed class WriteBehind(ILogger logger)
{
    private readonly BackgroundWork work = new((what, failure) => logger.LogError(failure, "A write-behind failed while {What}", what));
    private TaskCompletionSource hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when someone waits for the writes (<see cref="DrainAsync"/>): a write that gathers rows for a while
    /// before its commit stops gathering then, so a history read or a stop never waits for the gathering.
    /// </summary>
    public Task Hurried => Volatile.Read(ref hurry).Task;

    public void Run(string what, Func<Task> write) => work.Run(what, write);

    /// <summary>Waits for the writes still queued (at stop, or before a history read), at most <paramref name="timeout"/>.</summary>
    public Task<bool> DrainAsync(TimeSpan timeout)
    {
        Interlocked.Exchange(ref hurry, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return work.DrainAsync(timeout);
    }
}
