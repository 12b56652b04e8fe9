using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary><see cref="IRoomLog"/> on the <c>room_messages</c> table.</summary>
internal sealed class SqliteRoomLog : IRoomLog
{
    private const string Columns = "position, room_id, sender, message_id, text, sent_at_ms";

    private readonly SqliteDatabase database;
    private readonly SqliteCommand append;
    private readonly SqliteCommand loadAfter;
    private readonly SqliteCommand loadRecent;

    public SqliteRoomLog(SqliteDatabase database)
    {
        this.database = database;
        append = database.Prepare("""
            INSERT INTO room_messages (room_id, sender, message_id, text, sent_at_ms) VALUES ($room, $sender, $messageId, $text, $sentAt)
            RETURNING position;
            """, "$room", "$sender", "$messageId", "$text", "$sentAt");
        // Catch-up and history read on the read connection: a login never waits behind a commit's fsync.
        loadAfter = database.PrepareRead($"""
            SELECT {Columns} FROM room_messages WHERE room_id = $room AND position > $after ORDER BY position LIMIT $max;
            """, "$room", "$after", "$max");
        loadRecent = database.PrepareRead($"""
            SELECT {Columns} FROM (SELECT {Columns} FROM room_messages WHERE room_id = $room ORDER BY position DESC LIMIT $max)
            ORDER BY position;
            """, "$room", "$max");
    }

    public ValueTask<long> AppendRoomMessageAsync(long roomId, string sender, long messageId, string text, DateTimeOffset sentAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sender);
        ArgumentNullException.ThrowIfNull(text);
        return new(database.Enqueue(() =>
        {
            append.Bind(("$room", roomId), ("$sender", sender), ("$messageId", messageId), ("$text", text), ("$sentAt", sentAt.ToUnixTimeMilliseconds()));
            return Convert.ToInt64(append.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, cancellationToken));
    }

    public ValueTask<IReadOnlyList<RoomMessage>> LoadRoomMessagesAsync(long roomId, long afterPosition, int max, CancellationToken cancellationToken = default)
    {
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than return everything.
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return database.Read<IReadOnlyList<RoomMessage>>(() =>
        {
            loadAfter.Bind(("$room", roomId), ("$after", afterPosition), ("$max", max));
            return loadAfter.ReadAll(ReadMessage);
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<RoomMessage>> LoadRecentRoomMessagesAsync(long roomId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return database.Read<IReadOnlyList<RoomMessage>>(() =>
        {
            loadRecent.Bind(("$room", roomId), ("$max", max));
            return loadRecent.ReadAll(ReadMessage);
        }, cancellationToken);
    }

    private static RoomMessage ReadMessage(SqliteDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
}
