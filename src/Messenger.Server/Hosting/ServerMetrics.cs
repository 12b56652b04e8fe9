using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Messenger.Server.Connections;

namespace Messenger.Server.Hosting;

/// <summary>
/// The server's instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>), exported at /metrics in
/// Prometheus text format when the web front end runs. One meter per process: the instruments are process facts.
/// </summary>
public static class ServerMetrics
{
    public const string MeterName = "MessengerSuite.Server";

    private static readonly Meter Meter = new(MeterName);

    public static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>("messenger.connections", description: "Open client connections (TCP and WebSocket).");

    public static readonly Counter<long> WebSocketConnections = Meter.CreateCounter<long>("messenger.websocket.accepted", description: "WebSocket connections accepted.");

    public static readonly Counter<long> FramesIn = Meter.CreateCounter<long>("messenger.frames.in", description: "Frames received from clients.");

    public static readonly Counter<long> FramesOut = Meter.CreateCounter<long>("messenger.frames.out", description: "Frames queued to clients.");

    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("messenger.deliveries", description: "Messages routed to online recipients.");

    public static readonly Counter<long> SlowConsumerCuts = Meter.CreateCounter<long>("messenger.slow_consumer.cuts", description: "Connections cut as slow consumers.");

    public static readonly Counter<long> Lockouts = Meter.CreateCounter<long>("messenger.lockouts", description: "User names locked after three wrong passwords.");

    /// <summary>Who can measure outbound queues (a running web front end registers its server); summed per scrape.</summary>
    private static readonly ConcurrentDictionary<Func<OutboundDepth>, byte> OutboundSources = new();

    public static readonly ObservableGauge<long> OutboundQueued = Meter.CreateObservableGauge("messenger.outbound.queued",
        () => OutboundSources.Keys.Sum(measure => measure().TotalBytes), unit: "By", description: "Bytes waiting in the outbound queues of all logged-in connections.");

    public static readonly ObservableGauge<long> OutboundDeepest = Meter.CreateObservableGauge("messenger.outbound.deepest",
        () => OutboundSources.Keys.Select(measure => measure().DeepestBytes).DefaultIfEmpty().Max(), unit: "By",
        description: "Bytes waiting in the deepest single connection's outbound queue.");

    private static long lastStoreCommitMicroseconds;

    /// <summary>Adds <paramref name="measure"/> to the outbound-queue gauges until <see cref="StopObservingOutbound"/>.</summary>
    public static void ObserveOutbound(Func<OutboundDepth> measure) => OutboundSources[measure] = 0;

    public static void StopObservingOutbound(Func<OutboundDepth> measure) => OutboundSources.TryRemove(measure, out _);

    /// <summary>The latest store commit's duration, for the dashboard's live figures.</summary>
    public static double LastStoreCommitMilliseconds => Interlocked.Read(ref lastStoreCommitMicroseconds) / 1000.0;

    public static void StoreCommitted(TimeSpan took)
    {
        StoreCommitSeconds.Record(took.TotalSeconds);
        Interlocked.Exchange(ref lastStoreCommitMicroseconds, (long)(took.TotalMilliseconds * 1000));
    }

    private static readonly Histogram<double> StoreCommitSeconds = Meter.CreateHistogram<double>("messenger.store.commit.duration", unit: "s", description: "Time one store commit took.");
}
