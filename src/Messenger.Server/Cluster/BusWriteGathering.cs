namespace Messenger.Server.Cluster;

/// <summary>
/// When the bus's writer drains its queue into XADDs (<see cref="ClusterOptions.WriteGather"/>): at once while items
/// come one or two at a time, so a crossing at low rates rarely waits, and after gathering for <c>gather</c> once a
/// drain found three or more waiting (they are bunching: a short wait puts more of them in one entry, so fewer XADDs
/// and fewer wake-ups of Redis and of the other nodes' readers; starting at two, 2,000 msgs/s paid 2 ms more of
/// cross-node p50 for it, starting at three 0.2 ms). A drain of one item turns the gathering off again,
/// and so does a large one: its batches are full enough, and a wait would only lengthen every round trip (W1's closed
/// loop lost a third of its rate to it). Zero: never gathers, each drain is written at once (the default).
/// </summary>
internal sealed class BusWriteGathering(TimeSpan gather, TimeProvider time)
{
    /// <summary>A drain of this many items or more is written at once, and so is the next.</summary>
    public const int LargeDrain = 32;

    /// <summary>A drain of this many items turns the gathering on; once on, it stays on while drains find two or more.</summary>
    public const int StartDrain = 3;

    private bool bunching;

    /// <summary>Awaited before each drain: completes at once, or after the gathering time while items are bunching.</summary>
    public Task BeforeDrainAsync(CancellationToken cancellationToken) =>
        bunching && gather > TimeSpan.Zero ? Task.Delay(gather, time, cancellationToken) : Task.CompletedTask;

    /// <summary>The drain that followed took <paramref name="items"/> items.</summary>
    public void Drained(int items) => bunching = items < LargeDrain && items >= (bunching ? 2 : StartDrain);
}
