namespace Messenger.Server.Hosting;

/// <summary>The command line's cluster options (--cluster, --node-id, --postgres, --redis); they override the files'.</summary>
public sealed record ClusterArguments(bool Enabled, string? NodeId, string? PostgreSql, string? Redis);
