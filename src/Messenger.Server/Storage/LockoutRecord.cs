namespace Messenger.Server.Storage;

/// <summary>Consecutive wrong passwords for a user, and when its lock ends (null when not locked).</summary>
public sealed record LockoutRecord(string User, int Failures, DateTimeOffset? LockedUntil);
