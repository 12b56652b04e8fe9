namespace Messenger.Server.Storage;

/// <summary>
/// A message in a room's log, stored once for all members. <see cref="Position"/> is the log's row id: it only grows
/// (AUTOINCREMENT, never reused), so "everything after position p" is exact for catch-up.
/// </summary>
public sealed record RoomMessage(long Position, long RoomId, string Sender, long MessageId, string Text, DateTimeOffset SentAt);
