using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>
/// <see cref="IRoomStore"/> on the <c>rooms</c>, <c>room_members</c> and <c>room_invitations</c> tables; each change
/// that touches several rows is one transaction, as in the SQLite store.
/// </summary>
internal sealed class PostgresRooms(NpgsqlDataSource dataSource) : IRoomStore
{
    public async ValueTask<IReadOnlyList<RoomRecord>> LoadRoomsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        ILookup<long, RoomMemberRecord> members;
        await using (var command = connection.Command("SELECT room_id, user_name, id, acked_position FROM room_members ORDER BY id"))
        {
            members = (await command.ReadAllAsync(r => (Room: r.GetInt64(0), Member: new RoomMemberRecord(r.GetString(1), r.GetInt64(2), r.GetInt64(3))),
                cancellationToken)).ToLookup(m => m.Room, m => m.Member);
        }
        ILookup<long, string> invited;
        await using (var command = connection.Command("SELECT room_id, user_name FROM room_invitations ORDER BY at_ms, user_name"))
        {
            invited = (await command.ReadAllAsync(r => (Room: r.GetInt64(0), User: r.GetString(1)), cancellationToken)).ToLookup(i => i.Room, i => i.User);
        }
        await using var rooms = connection.Command("""
            SELECT r.id, r.name, r.owner, r.private, r.topic, r.created_ms,
                   COALESCE((SELECT MAX(position) FROM room_messages m WHERE m.room_id = r.id), 0)
            FROM rooms r ORDER BY r.id
            """);
        return await rooms.ReadAllAsync(r => new RoomRecord(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3),
            r.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.GetInt64(6), [.. members[r.GetInt64(0)]], [.. invited[r.GetInt64(0)]]),
            cancellationToken);
    }

    public async ValueTask<RoomCreated> CreateRoomAsync(string name, string owner, DateTimeOffset at, long ackedPosition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return await InTransactionAsync(async connection =>
        {
            await using var create = connection.Command("INSERT INTO rooms (name, owner, created_ms) VALUES ($1, $2, $3) RETURNING id", name, owner, at.ToUnixTimeMilliseconds());
            var roomId = (long)(await create.ExecuteScalarAsync(cancellationToken))!;
            return new RoomCreated(roomId, await InsertMemberAsync(connection, roomId, owner, ackedPosition, cancellationToken));
        }, cancellationToken);
    }

    public async ValueTask<long> AddMemberAsync(long roomId, string user, long ackedPosition, string? newOwner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return await InTransactionAsync(async connection =>
        {
            await ExecuteAsync(connection, "DELETE FROM room_invitations WHERE room_id = $1 AND user_name = $2", cancellationToken, roomId, user);
            if (newOwner is not null)
            {
                await ExecuteAsync(connection, "UPDATE rooms SET owner = $2 WHERE id = $1", cancellationToken, roomId, newOwner);
            }
            return await InsertMemberAsync(connection, roomId, user, ackedPosition, cancellationToken);
        }, cancellationToken);
    }

    public async ValueTask RemoveMemberAsync(long roomId, string user, string? newOwner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        await InTransactionAsync(async connection =>
        {
            await ExecuteAsync(connection, "DELETE FROM room_members WHERE room_id = $1 AND user_name = $2", cancellationToken, roomId, user);
            return await ExecuteAsync(connection, "UPDATE rooms SET owner = $2 WHERE id = $1", cancellationToken, roomId, newOwner);
        }, cancellationToken);
    }

    public ValueTask SetTopicAsync(long roomId, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return dataSource.ExecuteAsync("UPDATE rooms SET topic = $2 WHERE id = $1", cancellationToken, roomId, topic);
    }

    public ValueTask SetPrivateAsync(long roomId, bool isPrivate, CancellationToken cancellationToken = default) =>
        dataSource.ExecuteAsync("UPDATE rooms SET private = $2 WHERE id = $1", cancellationToken, roomId, isPrivate);

    public ValueTask AddInvitationAsync(long roomId, string user, string invitedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(invitedBy);
        return dataSource.ExecuteAsync("INSERT INTO room_invitations (room_id, user_name, invited_by, at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            cancellationToken, roomId, user, invitedBy, at.ToUnixTimeMilliseconds());
    }

    public async ValueTask SetAckedPositionsAsync(IReadOnlyCollection<AckedPosition> positions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        await InTransactionAsync(async connection =>
        {
            foreach (var (roomId, user, position) in positions)
            {
                await ExecuteAsync(connection, "UPDATE room_members SET acked_position = $3 WHERE room_id = $1 AND user_name = $2 AND acked_position < $3",
                    cancellationToken, roomId, user, position);
            }
            return positions.Count;
        }, cancellationToken);
    }

    public async ValueTask RemoveRoomAsync(long roomId, CancellationToken cancellationToken = default) =>
        // One transaction: the room and everything of it go together, or nothing does.
        await InTransactionAsync(async connection =>
        {
            foreach (var table in new[] { "room_messages", "room_invitations", "room_members" })
            {
                await ExecuteAsync(connection, $"DELETE FROM {table} WHERE room_id = $1", cancellationToken, roomId);
            }
            return await ExecuteAsync(connection, "DELETE FROM rooms WHERE id = $1", cancellationToken, roomId);
        }, cancellationToken);

    private static async Task<long> InsertMemberAsync(NpgsqlConnection connection, long roomId, string user, long ackedPosition, CancellationToken cancellationToken)
    {
        await using var add = connection.Command("INSERT INTO room_members (room_id, user_name, acked_position) VALUES ($1, $2, $3) RETURNING id", roomId, user, ackedPosition);
        return (long)(await add.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
