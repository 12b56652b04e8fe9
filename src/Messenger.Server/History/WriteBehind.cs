using Messenger.Protocol.Tasks;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.History;

/// <summary>
/// Store writes that nobody waits for before answering: direct-message history and room positions. They still go
/// through the group commit (so they share its fsyncs); this owns their tasks, logs a failure, and lets the server wait
/// for what is queued when it stops. Losing one to a crash costs a history line or a message shown again, never a
/// message (the mailbox and the room log are written before anyone is answered).
/// </summary>
public sealed class WriteBehind(ILogger logger)
{
    private readonly BackgroundWork work = new((what, failure) => logger.LogError(failure, "A write-behind failed while {What}", what));

    public void Run(string what, Func<ValueTask> write) => work.Run(what, async () => await write());

    /// <summary>Waits for the writes still queued (at stop), at most <paramref name="timeout"/>.</summary>
    public Task<bool> DrainAsync(TimeSpan timeout) => work.DrainAsync(timeout);
}
