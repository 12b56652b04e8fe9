namespace Messenger.Protocol.Contracts;

// Chunk registry (client <-> server) and chunk transfer (peer <-> peer). docs/PROTOCOL.md §7.

/// <summary>
/// What a file is: its name, size, chunk size and each chunk's SHA-256 (hex). The file id is the SHA-256 of the
/// manifest's canonical JSON, so the same content has the same id on every client.
/// </summary>
public sealed record FileManifest(string Name, long Size, int ChunkSize, string[] ChunkHashes);

/// <summary>Ask the server where a file can be fetched; optionally pin one version by id.</summary>
public sealed record FindFileRequest(string Name, string? FileId = null);

/// <summary>
/// One online owner of (part of) a file, the chunk indexes it holds, and a ticket (purpose "swarm") the server signed
/// for the downloader to connect to this owner.
/// </summary>
public sealed record ChunkOwner(string User, string Host, int Port, string Fingerprint, int[] Chunks, string Ticket);

public sealed record FileVersion(string FileId, FileManifest Manifest, ChunkOwner[] Owners);

/// <summary>Every known version of a name, most owners first.</summary>
public sealed record FileLocations(string Name, FileVersion[] Versions);

/// <summary>
/// A client tells the server it holds these chunks of a file (all of them when complete). The manifest is needed
/// only the first time a file is registered; later registrations (one per downloaded chunk) leave it out.
/// </summary>
public sealed record RegisterChunks(string FileId, int[] Chunks, FileManifest? Manifest = null);

/// <summary>The server asks a client whether its share folder holds a file of this name; it answers with <see cref="HolderAnswer"/>.</summary>
public sealed record HolderQuery(long QueryId, string Name);

/// <summary>A client's answer to <see cref="HolderQuery"/>: the file's id and manifest, or nulls when it does not hold it.</summary>
public sealed record HolderAnswer(long QueryId, string? FileId = null, FileManifest? Manifest = null);

/// <summary>A downloader reports that an owner served a chunk whose hash did not match.</summary>
public sealed record ReportBadChunk(string FileId, string Owner, int Chunk);

/// <summary>First frame on a peer connection: who I am and the server's ticket allowing the connection.</summary>
public sealed record PeerHello(string User, string Ticket, string Purpose);

public sealed record PrivateText(string Text, long SentAtUnixMs);

public sealed record PrivateClose(string Reason);

/// <summary>Ask a peer for one chunk; it answers with a ChunkData frame (raw bytes) or a Response on error.</summary>
public sealed record ChunkRequest(string FileId, int Chunk);
