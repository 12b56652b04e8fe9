using Messenger.Protocol.Contracts;

namespace Messenger.Server.Swarm;

/// <summary>
/// Which users hold which chunks of which file (by file id), for p2pDownload. Holds manifests and ownership only:
/// the server never carries a byte of file data. Locking: one monitor over everything; every operation is a few
/// dictionary updates (a download registers one chunk at a time).
/// </summary>
public sealed class SwarmRegistry
{
    private readonly Dictionary<string, SwarmFile> files = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>
    /// Records that <paramref name="user"/> holds <paramref name="chunks"/> of the file. False when the id does not match
    /// the manifest, or when no manifest is given for a file the registry does not know yet.
    /// </summary>
    public bool Register(string user, string fileId, FileManifest? manifest, IEnumerable<int> chunks)
    {
        if (manifest is not null && (!IsValid(manifest) || FileIds.Of(manifest) != fileId))
        {
            return false;
        }
        lock (gate)
        {
            if (!files.TryGetValue(fileId, out var file))
            {
                if (manifest is null)
                {
                    return false;
                }
                file = new SwarmFile(manifest);
                files[fileId] = file;
            }
            var count = ChunkCount(file.Manifest);
            if (file.Banned.Contains(user))
            {
                return true; // Reported for serving bad data: not listed again for this file.
            }
            if (!file.Owners.TryGetValue(user, out var owned))
            {
                owned = [];
                file.Owners[user] = owned;
            }
            foreach (var chunk in chunks)
            {
                if (chunk >= 0 && chunk < count)
                {
                    owned.Add(chunk);
                }
            }
            return true;
        }
    }

    /// <summary>An owner served a bad chunk: it is no longer listed for this file.</summary>
    public void Ban(string fileId, string owner)
    {
        lock (gate)
        {
            if (files.TryGetValue(fileId, out var file))
            {
                file.Owners.Remove(owner);
                file.Banned.Add(owner);
            }
        }
    }

    /// <summary>A user logged out: it owns nothing any more.</summary>
    public void RemoveOwner(string user)
    {
        lock (gate)
        {
            foreach (var (id, file) in files.ToList())
            {
                file.Owners.Remove(user);
                if (file.Owners.Count == 0)
                {
                    files.Remove(id);
                }
            }
        }
    }

    /// <summary>True when <paramref name="user"/> is registered for every chunk of the file.</summary>
    public bool HoldsWholeFile(string user, string fileId)
    {
        lock (gate)
        {
            return files.TryGetValue(fileId, out var file) && file.Owners.TryGetValue(user, out var owned) && owned.Count == ChunkCount(file.Manifest);
        }
    }

    /// <summary>
    /// Every version of <paramref name="name"/> (or just <paramref name="fileId"/>) with the owners <paramref name="include"/>
    /// accepts (called with the file id and the owner).
    /// </summary>
    public List<(string FileId, FileManifest Manifest, List<(string User, int[] Chunks)> Owners)> Find(string name, string? fileId, Func<string, string, bool> include)
    {
        lock (gate)
        {
            return files
                .Where(pair => pair.Value.Manifest.Name == name && (fileId is null || pair.Key == fileId))
                .Select(pair => (pair.Key, pair.Value.Manifest,
                    pair.Value.Owners.Where(owner => include(pair.Key, owner.Key)).Select(owner => (owner.Key, owner.Value.Order().ToArray())).ToList()))
                .Where(version => version.Item3.Count > 0)
                .OrderByDescending(version => version.Item3.Count)
                .ToList();
        }
    }

    private static bool IsValid(FileManifest manifest) =>
        manifest.Size >= 0 && manifest.ChunkSize > 0 && manifest.ChunkSize <= Protocol.Framing.ProtocolLimits.MaxPayloadLength - 4096
        && manifest.ChunkHashes.Length == ChunkCount(manifest) && manifest.Name.Length is > 0 and <= 255;

    private static int ChunkCount(FileManifest manifest) => (int)((manifest.Size + manifest.ChunkSize - 1) / manifest.ChunkSize);

    private sealed class SwarmFile(FileManifest manifest)
    {
        public FileManifest Manifest { get; } = manifest;

        public Dictionary<string, HashSet<int>> Owners { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Banned { get; } = new(StringComparer.Ordinal);
    }
}
