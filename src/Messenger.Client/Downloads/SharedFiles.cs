using Messenger.Client.Swarm;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Downloads;

/// <summary>
/// What this client can serve, by file id: whole files (from the share folder, or finished downloads) and downloads
/// in progress (only their verified chunks). Serving reads chunks straight from these files.
/// </summary>
public sealed class SharedFiles
{
    private readonly Dictionary<string, SharedFile> byId = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void AddComplete(string fileId, FileManifest manifest, string path)
    {
        lock (gate)
        {
            byId[fileId] = new SharedFile(manifest, path, null);
        }
    }

    public void AddPartial(PartialDownload download)
    {
        lock (gate)
        {
            byId[download.FileId] = new SharedFile(download.Manifest, download.PartPath, download);
        }
    }

    /// <summary>A finished download of this name that this client keeps serving, if any.</summary>
    public (string FileId, FileManifest Manifest)? FindCompleteByName(string name)
    {
        lock (gate)
        {
            foreach (var (id, file) in byId)
            {
                if (file.Partial is null && file.Manifest.Name == name)
                {
                    return (id, file.Manifest);
                }
            }
            return null;
        }
    }

    /// <summary>The file to read <paramref name="chunk"/> from, when this client holds that chunk.</summary>
    public bool TryGetChunkSource(string fileId, int chunk, out string path, out FileManifest manifest)
    {
        lock (gate)
        {
            if (byId.TryGetValue(fileId, out var file) && chunk >= 0 && chunk < file.Manifest.ChunkHashes.Length
                && (file.Partial is null || file.Partial.Has(chunk)))
            {
                (path, manifest) = (file.Path, file.Manifest);
                return true;
            }
        }
        (path, manifest) = ("", null!);
        return false;
    }

    private sealed record SharedFile(FileManifest Manifest, string Path, PartialDownload? Partial);
}
