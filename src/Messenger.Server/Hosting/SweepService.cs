using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Server.Hosting;

/// <summary>
/// The one timer of the server (DESIGN "timers are data"): every SweepInterval it ends idle sessions and expired resume
/// grace periods, trims the direct-message history when due, writes the room positions acknowledged since the last
/// sweep, in cluster mode records this node's heartbeat and settles dead nodes' sessions (ClusterNode.SweepAsync), and
/// gives memory back after a burst. A failed sweep is logged and the next one runs.
/// </summary>
public sealed class SweepService(IOptions<ServerOptions> options, ServerCoreStartup core, TimeProvider time, ILogger<SweepService> logger) : BackgroundService
{
    // Real time, not the chat's clock: memory held is a property of the process (tests drive the chat's clock fast).
    private readonly MemoryTrimmer memory = new(TimeProvider.System);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var chat = core.Core;
                    await chat.Lifecycle.SweepAsync();
                    await chat.Retention.TrimIfDueAsync();
                    await chat.RoomPositions.FlushAsync();
                    if (chat.Cluster is { } cluster)
                    {
                        await cluster.SweepAsync();
                    }
                    if (memory.TrimIfHeld())
                    {
                        logger.LogInformation("Quiet after a burst: gave memory back, GC held {BeforeMb} MB, now {AfterMb} MB",
                            memory.LastTrim.Before >> 20, memory.LastTrim.After >> 20);
                    }
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Sweep failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
