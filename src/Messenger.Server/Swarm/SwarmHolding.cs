using Messenger.Protocol.Contracts;

namespace Messenger.Server.Swarm;

/// <summary>
/// One version of a file and its owners online on one node, with the endpoints that node sees: what a node answers a
/// holder query (its own users' part in cluster mode). Values only, so that they cross the cluster bus; the
/// requester's node merges them and signs the tickets.
/// </summary>
public sealed record SwarmHolding(string FileId, FileManifest Manifest, SwarmOwner[] Owners);

/// <summary>An online owner of chunks of a file, where and with which key it takes peers.</summary>
public sealed record SwarmOwner(string User, string Host, int Port, string Fingerprint, int[] Chunks);
