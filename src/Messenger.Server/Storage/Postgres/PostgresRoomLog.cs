using System.Text;
using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>
/// <see cref="IRoomLog"/> on the <c>room_messages</c> table; positions come from one sequence, so they only grow.
/// Appends run one after another in call order (each waits for the one before), so positions follow the order the
/// rooms' fan-out called in, as SQLite's write queue gives; a pool of connections alone would not. Across nodes each
/// append holds a per-room advisory lock until it commits, so within a room commit order is position order: a reader
/// that has seen a position has seen every smaller one of that room (what <c>RoomTail</c> relies on in cluster mode).
/// </summary>
internal sealed class PostgresRoomLog(NpgsqlDataSource dataSource) : IRoomLog
{
    private const string Columns = "position, room_id, sender, message_id, text, sent_at_ms";

    private readonly Lock gate = new();
    private Task lastAppend = Task.CompletedTask;

    public async ValueTask<long> AppendRoomMessageAsync(long roomId, string sender, long messageId, string text, DateTimeOffset sentAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sender);
        ArgumentNullException.ThrowIfNull(text);
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (gate)
        {
            (previous, lastAppend) = (lastAppend, mine.Task);
        }
        try
        {
            await previous; // Never faults: each append completes its turn whatever happened to it.
            return await InsertAsync(roomId, sender, messageId, text, sentAt, cancellationToken);
        }
        finally
        {
            mine.SetResult();
        }
    }

    private async Task<long> InsertAsync(long roomId, string sender, long messageId, string text, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The two-key form: its key space is apart from the one-key locks (mailboxes, the schema).
        await using (var lockRoom = connection.Command("SELECT pg_advisory_xact_lock(1, ($1 % 2147483647)::int)", roomId))
        {
            await lockRoom.ExecuteNonQueryAsync(cancellationToken);
        }
        long position;
        await using (var command = connection.Command(
            "INSERT INTO room_messages (room_id, sender, message_id, text, sent_at_ms) VALUES ($1, $2, $3, $4, $5) RETURNING position",
            roomId, sender, messageId, Encoding.UTF8.GetBytes(text), sentAt.ToUnixTimeMilliseconds()))
        {
            position = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        await transaction.CommitAsync(cancellationToken);
        return position;
    }

    public async ValueTask<IReadOnlyList<RoomMessage>> LoadRoomMessagesAsync(long roomId, long afterPosition, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM room_messages WHERE room_id = $1 AND position > $2 ORDER BY position LIMIT $3", roomId, afterPosition, (long)max);
        return await command.ReadAllAsync(Read, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<RoomMessage>> LoadRecentRoomMessagesAsync(long roomId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        await using var command = dataSource.Command($"""
            SELECT {Columns} FROM (SELECT {Columns} FROM room_messages WHERE room_id = $1 ORDER BY position DESC LIMIT $2) recent
            ORDER BY position
            """, roomId, (long)max);
        return await command.ReadAllAsync(Read, cancellationToken);
    }

    private static RoomMessage Read(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(4)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
}
