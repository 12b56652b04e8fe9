using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Swarm;

/// <summary>
/// Manifests already computed, in memory and under stateDirectory/manifests/, so a shared file is hashed once and
/// again only when it changes. A manifest is valid for a (full path, size, last-write time in UTC ticks) stamp; the
/// name is part of the key too, because it is part of the manifest. Each (path, name) has one entry in memory and one
/// file on disk, replaced when the file changes, so neither grows with edits.
/// </summary>
/// <remarks>
/// Disk entry format: a first line "size ticks" (invariant digits) then the manifest's JSON. It is written to a
/// temporary file and renamed, so a crash leaves the old entry or the new one, never half of one; an entry that does
/// not parse is ignored and rebuilt. Two callers asking for the same new file at once may both hash it; the result is
/// the same.
/// </remarks>
public sealed class ManifestCache
{
    /// <summary>A file that changes during every one of these attempts is reported instead of cached half-read.</summary>
    private const int MaxBuildAttempts = 3;

    private readonly ConcurrentDictionary<string, Entry> memory = new(StringComparer.Ordinal);
    private readonly string folder;

    public ManifestCache(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        folder = Path.Combine(Path.GetFullPath(stateDirectory), "manifests");
    }

    public async Task<FileManifest> GetOrBuildAsync(string path, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var fullPath = Path.GetFullPath(path);
        var key = KeyOf(fullPath, name);
        var stamp = StampOf(fullPath);
        if (memory.TryGetValue(key, out var known) && known.Stamp == stamp)
        {
            return known.Manifest;
        }
        var entryPath = Path.Combine(folder, key + ".json");
        if (await TryReadAsync(entryPath, stamp, name, cancellationToken) is { } stored)
        {
            memory[key] = new Entry(stamp, stored);
            return stored;
        }
        for (var attempt = 1; ; attempt++)
        {
            var manifest = await ManifestBuilder.BuildAsync(fullPath, name, cancellationToken);
            var after = StampOf(fullPath);
            if (after == stamp && manifest.Size == stamp.Size)
            {
                await WriteAsync(entryPath, stamp, manifest, cancellationToken);
                memory[key] = new Entry(stamp, manifest);
                return manifest;
            }
            if (attempt == MaxBuildAttempts)
            {
                throw new IOException($"{fullPath} kept changing while it was being hashed; try again when it is no longer being written.");
            }
            stamp = after;
        }
    }

    private static string KeyOf(string fullPath, string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fullPath + "\n" + name)));

    private static Stamp StampOf(string fullPath)
    {
        var info = new FileInfo(fullPath);
        return info.Exists ? new Stamp(info.Length, info.LastWriteTimeUtc.Ticks) : throw new FileNotFoundException($"{fullPath} does not exist.", fullPath);
    }

    private static async Task<FileManifest?> TryReadAsync(string entryPath, Stamp stamp, string name, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(entryPath, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0 || Encoding.ASCII.GetString(bytes, 0, newline) != HeaderOf(stamp))
        {
            return null;
        }
        try
        {
            var manifest = JsonSerializer.Deserialize(bytes.AsSpan(newline + 1), ProtocolJsonContext.Default.FileManifest);
            return manifest is not null && manifest.Name == name && manifest.Size == stamp.Size && ManifestBuilder.IsWellFormed(manifest, out _)
                ? manifest
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task WriteAsync(string entryPath, Stamp stamp, FileManifest manifest, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var temporary = entryPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                await file.WriteAsync(Encoding.ASCII.GetBytes(HeaderOf(stamp) + "\n"), cancellationToken);
                await file.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(manifest, ProtocolJsonContext.Default.FileManifest), cancellationToken);
            }
            File.Move(temporary, entryPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static string HeaderOf(Stamp stamp) => string.Create(CultureInfo.InvariantCulture, $"{stamp.Size} {stamp.LastWriteTicks}");

    private readonly record struct Stamp(long Size, long LastWriteTicks);

    private sealed record Entry(Stamp Stamp, FileManifest Manifest);
}
