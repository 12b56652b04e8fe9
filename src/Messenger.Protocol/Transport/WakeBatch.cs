namespace Messenger.Protocol.Transport;

/// <summary>
/// Holds back the writer wake-ups of the <see cref="OutboundQueue"/>s that this thread queues frames on, until
/// <see cref="Dispose"/>: a burst queued for many connections at once (a cluster node applying a batch of bus items) then
/// wakes each writer once, with all of its frames to gather into one write, instead of waking it at the first frame (one
/// write for it, and more for the rest). A batch belongs to the thread that began it: end it before any await that may
/// go on elsewhere. A batch begun inside another is inert (the outer one holds and wakes). Every held wake-up is given
/// when the batch ends, on whichever thread ends it, and a queue asking after that wakes its writer at once.
/// </summary>
public sealed class WakeBatch : IDisposable
{
    [ThreadStatic]
    private static WakeBatch? current;

    private readonly List<WriterSignal> held = [];
    private readonly bool inert;
    private bool ended;

    private WakeBatch(bool inert) => this.inert = inert;

    /// <summary>From now until the batch is disposed, writers woken by frames this thread queues wake at its end.</summary>
    public static WakeBatch Begin()
    {
        if (current is { ended: false })
        {
            return new WakeBatch(inert: true);
        }
        return current = new WakeBatch(inert: false);
    }

    /// <summary>True when this thread's batch took <paramref name="signal"/> to set at its end; false: set it now.</summary>
    internal static bool TryHold(WriterSignal signal)
    {
        if (current is not { } batch)
        {
            return false;
        }
        lock (batch.held)
        {
            if (batch.ended)
            {
                return false;
            }
            batch.held.Add(signal);
            return true;
        }
    }

    public void Dispose()
    {
        if (inert)
        {
            return;
        }
        WriterSignal[] wake;
        lock (held)
        {
            if (ended)
            {
                return;
            }
            ended = true;
            wake = [.. held];
        }
        if (current == this)
        {
            current = null;
        }
        foreach (var signal in wake)
        {
            signal.Set();
        }
    }
}
