using Messenger.Protocol.Contracts;

namespace Messenger.Client.Downloads;

/// <summary>What a download tells the rest of the client: the server (registrations, reports) and the user.</summary>
public interface ISwarmCallbacks
{
    /// <summary>A chunk was verified and written: register it with the server (in a batch) so others can fetch it from us.</summary>
    void ChunkVerified(string fileId, FileManifest manifest, int chunk);

    void ReportBadChunk(string fileId, string owner, int chunk);

    /// <summary>Every 10 % (for scripts and logs).</summary>
    void Progress(string name, int percent, int chunksDone, int chunkCount, int peers);

    /// <summary>After every chunk (for a live display).</summary>
    void ChunkProgress(string name, long bytesDone, long size, int chunksDone, int chunkCount, int peers);

    void Notice(string text);
}
