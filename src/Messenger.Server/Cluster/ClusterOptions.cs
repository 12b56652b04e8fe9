namespace Messenger.Server.Cluster;

/// <summary>
/// Cluster mode's settings (Server:Cluster in config/server.json, MESSENGER_Server__Cluster__* in the environment,
/// --node-id/--postgres/--redis on the command line). Absent: the single embedded node, exactly as before.
/// Setters, not init: the configuration binding source generator (needed by the Native AOT build) silently skips
/// init-only properties (dotnet/runtime#107856); the program treats a built instance as read-only and copies with `with`.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>This node's name, unique in the cluster (default: the host name and port).</summary>
    public string? NodeId { get; set; }

    /// <summary>Npgsql connection string of the shared database.</summary>
    public string PostgreSql { get; set; } = "";

    /// <summary>StackExchange.Redis configuration of the bus (host:port).</summary>
    public string Redis { get; set; } = "";

    /// <summary>How often a node records that it is alive (on the server's sweep).</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A node with no heartbeat for this long is dead: what was in flight to it is stored, its users may resume elsewhere.
    /// It is also each node's lease: a node that has recorded no heartbeat of its own for this long fences itself
    /// (<see cref="ClusterLease"/>).
    /// </summary>
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a login waits for the node holding the session to hand it over.</summary>
    public TimeSpan TakeoverTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a reader looks at its streams without a wake-up (a lost pub/sub message costs at most this).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long the bus's writer gathers items before an XADD once they come several at a time (zero: never; items
    /// that come one at a time are written at once either way).
    /// </summary>
    public TimeSpan WriteGather { get; set; } = TimeSpan.Zero;
}
