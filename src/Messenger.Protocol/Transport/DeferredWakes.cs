namespace Messenger.Protocol.Transport;

/// <summary>
/// Holds back the wake-ups of <see cref="OutboundQueue"/> writers while one thread queues a burst of frames (the cluster
/// bus reader hands out an XREAD reply of up to 256 entries over a node's clients): inside a window
/// (<see cref="Begin"/> ... <see cref="End"/>) a queue that would wake its waiting writer records it here instead, and
/// <see cref="End"/> wakes each once, so a writer wakes to everything the burst queued for it, not to its first frame.
/// Per thread, not per async flow: an <c>AsyncLocal</c> would follow a task started inside the window onto another
/// thread after <see cref="End"/> and lose its wake-ups. So a window must never stay open across an await that does not
/// complete synchronously (the thread would run other work inside it): <see cref="ForEachAsync{T}"/> ends it first.
/// </summary>
public static class DeferredWakes
{
    [ThreadStatic]
    private static List<WriterSignal>? deferred;

    [ThreadStatic]
    private static List<WriterSignal>? spare;

    /// <summary>True while this thread defers wake-ups.</summary>
    public static bool IsDeferring => deferred is not null;

    /// <summary>
    /// Opens a window on this thread and returns true; false when one is already open (code running inline inside another
    /// window, e.g. a continuation completed synchronously by it): that window's owner, further down this thread's stack,
    /// ends it before the thread does anything else, so the caller joins it and must not call <see cref="End"/>.
    /// </summary>
    public static bool Begin()
    {
        if (deferred is not null)
        {
            return false;
        }
        deferred = spare ?? [];
        spare = null;
        return true;
    }

    /// <summary>Wakes every writer recorded in this thread's window, once each (a queue records its writer only when it
    /// takes it from waiting, so never twice for one wait), and closes the window. Only the window's owner calls it.</summary>
    public static void End()
    {
        var signals = deferred;
        if (signals is null)
        {
            return;
        }
        deferred = null;
        foreach (var signal in signals)
        {
            signal.Set();
        }
        signals.Clear();
        spare = signals;
    }

    /// <summary>
    /// Runs <paramref name="handle"/> on each item with the writers' wake-ups deferred to the end, or to the first handling
    /// that does not complete synchronously: the window is ended before that handling is awaited and reopened after it.
    /// </summary>
    public static async ValueTask ForEachAsync<T>(IEnumerable<T> items, Func<T, ValueTask> handle)
    {
        var owner = Begin();
        try
        {
            foreach (var item in items)
            {
                var pending = handle(item);
                var yields = !pending.IsCompleted;
                if (yields && owner)
                {
                    End();
                    owner = false;
                }
                await pending; // completed: no yield (and a failure is thrown here); otherwise after the wake-ups
                if (yields)
                {
                    owner = Begin(); // on whichever thread the await resumed
                }
            }
        }
        finally
        {
            if (owner)
            {
                End();
            }
        }
    }

    /// <summary>Wakes <paramref name="signal"/>'s writer now, or at the end of this thread's window.</summary>
    internal static void Wake(WriterSignal signal)
    {
        if (deferred is { } signals)
        {
            signals.Add(signal);
        }
        else
        {
            signal.Set();
        }
    }
}
