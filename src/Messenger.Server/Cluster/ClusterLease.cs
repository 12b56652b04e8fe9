using System.Data.Common;
using Messenger.Protocol.Contracts;
using Messenger.Server.Dispatch;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Cluster;

/// <summary>
/// This node's lease on its sessions: it holds while the node's last heartbeat that the record took is younger than
/// <see cref="ClusterOptions.DeadAfter"/>, the age at which the other nodes find it dead. Measured here, on this node's
/// clock, from before that write began (the record stamps it later, so the others never find it dead first). A node
/// whose lease ran out (paused, stalled, or cut off from the record) is fenced: it drops every client link (its
/// sessions wait detached, as after a lost connection) and takes no login until it has rejoined.
/// </summary>
public sealed class ClusterLease(IClusterRecord record, string node, ClusterOptions options, TimeProvider time, ILogger logger)
{
    private readonly Lock sync = new();
    private Task fence = Task.CompletedTask;
    private long renewedAt = DateTimeOffset.MinValue.UtcTicks;
    private volatile bool fenced;

    /// <summary>Detaches every session and turns its link away with <see cref="TurnAway"/> (set once at start).</summary>
    public Func<Action<IClientLink>, Task> DropLinks { get; set; } = _ => Task.CompletedTask;

    /// <summary>True from the fence until the node has rejoined: no login is taken here.</summary>
    public bool Fenced => fenced;

    /// <summary>
    /// Closes a client's link with the reason, as a closing Response (request id 0) that the client shows: to the client
    /// it is a lost connection, so it reconnects (a refusal would end it), and finds this node back or another one.
    /// </summary>
    public void TurnAway(IClientLink link)
    {
        link.TrySend(ServerFrames.Response(0, StatusCode.Unavailable,
            $"This server was out of touch with the cluster for over {options.DeadAfter.TotalSeconds:0.#} s and closed its connections; reconnect to continue.",
            Reasons.Fenced));
        link.Close(Reasons.Fenced);
    }

    public bool Held => !fenced && time.GetUtcNow().UtcTicks - Volatile.Read(ref renewedAt) < options.DeadAfter.Ticks;

    /// <summary>Records a heartbeat and, once the record took it, holds the lease from when it began. A failure throws.</summary>
    public async Task RenewAsync()
    {
        var began = time.GetUtcNow();
        await record.HeartbeatAsync(node);
        Volatile.Write(ref renewedAt, began.UtcTicks);
    }

    /// <summary>The sweep's heartbeat when one is due; false (a warning) when the record did not take it.</summary>
    public async Task<bool> RenewIfDueAsync()
    {
        if (time.GetUtcNow().UtcTicks - Volatile.Read(ref renewedAt) < options.Heartbeat.Ticks)
        {
            return true;
        }
        try
        {
            await RenewAsync();
            return true;
        }
        catch (DbException ex)
        {
            logger.LogWarning("Node {Node} could not record its heartbeat ({Message}); it fences itself {Seconds} s after the last one", node, ex.Message,
                options.DeadAfter.TotalSeconds);
            return false;
        }
    }

    /// <summary>
    /// The lease ran out: drops the client links, once per fence, and leaves the node fenced until it has rejoined.
    /// Whoever else finds the lease out meanwhile (the bus reader, the sweep) waits for the same drop.
    /// </summary>
    public Task FenceAsync()
    {
        TaskCompletionSource dropped;
        lock (sync)
        {
            if (fenced || Held)
            {
                return fence;
            }
            fenced = true;
            dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            fence = dropped.Task;
        }
        logger.LogWarning("Node {Node} recorded no heartbeat for {Seconds} s, so the others may have found it dead: fenced, closing its client links and rejoining",
            node, options.DeadAfter.TotalSeconds);
        return DropAsync(dropped);
    }

    private async Task DropAsync(TaskCompletionSource dropped)
    {
        try
        {
            await DropLinks(TurnAway);
            dropped.SetResult();
        }
        catch (Exception ex)
        {
            dropped.SetException(ex);
            throw;
        }
    }

    /// <summary>
    /// A fenced node rejoins as at start: a heartbeat, then <paramref name="settle"/> (the directory and the claims
    /// reloaded). False (a warning) while the record does not take it: the node stays fenced and tries at the next sweep.
    /// </summary>
    public async Task<bool> RejoinAsync(Func<Task> settle)
    {
        try
        {
            await RenewAsync();
            await settle();
        }
        catch (DbException ex)
        {
            logger.LogWarning("Node {Node} is fenced and cannot rejoin yet: {Message}", node, ex.Message);
            return false;
        }
        fenced = false;
        logger.LogInformation("Node {Node} rejoined the cluster after it was fenced", node);
        return true;
    }
}
