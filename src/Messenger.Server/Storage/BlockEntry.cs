namespace Messenger.Server.Storage;

/// <summary><see cref="Blocker"/> has blocked <see cref="Blocked"/> (one-way).</summary>
public sealed record BlockEntry(string Blocker, string Blocked);
