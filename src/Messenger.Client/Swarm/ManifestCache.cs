using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Swarm;

/// <summary>
/// Manifests already computed, in memory and under stateDirectory/manifests/, keyed by the file's full path, size and
/// modification time: a shared file is hashed once, and again only when it changes.
/// </summary>
public sealed class ManifestCache(string stateDirectory)
{
    private readonly ConcurrentDictionary<string, FileManifest> memory = new(StringComparer.Ordinal);
    private readonly string folder = Path.Combine(stateDirectory, "manifests");

    public async Task<FileManifest> GetOrBuildAsync(string path, string name, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}\n{name}")));
        if (memory.TryGetValue(key, out var known))
        {
            return known;
        }
        var file = Path.Combine(folder, key + ".json");
        if (File.Exists(file))
        {
            try
            {
                var stored = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(file, cancellationToken), ProtocolJsonContext.Default.FileManifest);
                if (stored is not null && stored.Size == info.Length && stored.Name == name)
                {
                    return memory[key] = stored;
                }
            }
            catch (JsonException)
            {
                // A damaged cache entry is rebuilt below.
            }
        }
        var manifest = await ManifestBuilder.BuildAsync(path, name, cancellationToken);
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(file, JsonSerializer.SerializeToUtf8Bytes(manifest, ProtocolJsonContext.Default.FileManifest), cancellationToken);
        return memory[key] = manifest;
    }
}
