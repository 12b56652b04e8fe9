namespace Messenger.Server.Cluster;

/// <summary>What a node needs to join a cluster: its bus, the shared record, and the settings.</summary>
public sealed record ClusterSetup(IClusterBus Bus, IClusterRecord Record, ClusterOptions Options);
