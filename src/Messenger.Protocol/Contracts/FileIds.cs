using System.Security.Cryptography;
using System.Text.Json;

namespace Messenger.Protocol.Contracts;

/// <summary>
/// A file's id: the lowercase hex SHA-256 of its manifest's canonical JSON (this library's serialization). The same
/// content therefore has the same id on every client, and the server can check that an id matches its manifest.
/// </summary>
public static class FileIds
{
    public static string Of(FileManifest manifest) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(manifest, ProtocolJsonContext.Default.FileManifest)));
}
