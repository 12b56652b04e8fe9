using Messenger.Protocol.Tasks;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.History;

/// <summary>
/// Store writes that nobody waits for before answering: direct-message history. They still go
/// through the group commit (so they share its fsyncs); this owns their tasks, logs a failure, and lets the server wait
/// for what is queued when it stops. Losing one costs a history line, never a message (the mailbox is written before
/// anyone is answered `stored`, and delivery does not depend on history). So that a disk slower than the traffic cannot
/// grow memory without bound, at most <see cref="MaxInFlight"/> wait at once; past that they are dropped and counted.
/// </summary>
public sealed class WriteBehind(ILogger logger)
{
    /// <summary>Writes queued at most (about 10 MB of history rows, minutes of a busy server's traffic at disk speed).</summary>
    public const int MaxInFlight = 50_000;

    private readonly BackgroundWork work = new((what, failure) => logger.LogError(failure, "A write-behind failed while {What}", what));
    private int inFlight;
    private long dropped;

    /// <summary>Writes dropped because <see cref="MaxInFlight"/> were already waiting.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    public void Run(string what, Func<ValueTask> write)
    {
        if (Interlocked.Increment(ref inFlight) > MaxInFlight)
        {
            Interlocked.Decrement(ref inFlight);
            if (Interlocked.Increment(ref dropped) % 10_000 == 1)
            {
                logger.LogWarning("The store is behind: {Count} writes not waited for were dropped so far (direct-message history rows)", Dropped);
            }
            return;
        }
        work.Run(what, async () =>
        {
            try
            {
                await write();
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
    }

    /// <summary>Waits for the writes still queued (at stop, or before a history read), at most <paramref name="timeout"/>.</summary>
    public Task<bool> DrainAsync(TimeSpan timeout) => work.DrainAsync(timeout);
}
