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

    /// <summary>
    /// The room's advisory lock and the insert in one batch: one round trip, one implicit transaction, so the lock is
    /// held until the row is committed. The reader is consumed to the end (its disposal) before the position is given
    /// out, so the commit is done by then.
    /// </summary>
    private async Task<long> InsertAsync(long roomId, string sender, long messageId, string text, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        // The two-key form: its key space is apart from the one-key locks (mailboxes, the schema).
        batch.BatchCommands.Add(PostgresCommands.BatchCommand("SELECT pg_advisory_xact_lock(1, ($1 % 2147483647)::int)", roomId));
        batch.BatchCommands.Add(PostgresCommands.BatchCommand(
            "INSERT INTO room_messages (room_id, sender, message_id, text, sent_at_ms) VALUES ($1, $2, $3, $4, $5) RETURNING position",
            roomId, sender, messageId, Encoding.UTF8.GetBytes(text), sentAt.ToUnixTimeMilliseconds()));
        long position;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            position = reader.GetInt64(0);
        }
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
