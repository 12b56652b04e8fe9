using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary><see cref="IRoomStore"/> on the <c>rooms</c>, <c>room_members</c> and <c>room_invitations</c> tables.</summary>
internal sealed class SqliteRooms : IRoomStore
{
    private readonly SqliteDatabase database;
    private readonly SqliteCommand createRoom;
    private readonly SqliteCommand addMember;
    private readonly SqliteCommand useInvitation;
    private readonly SqliteCommand removeMember;
    private readonly SqliteCommand setOwner;
    private readonly SqliteCommand setTopic;
    private readonly SqliteCommand setPrivate;
    private readonly SqliteCommand invite;
    private readonly SqliteCommand setAcked;
    private readonly SqliteCommand[] removeRoom;
    private readonly SqliteCommand loadRooms;
    private readonly SqliteCommand loadMembers;
    private readonly SqliteCommand loadInvitations;

    public SqliteRooms(SqliteDatabase database)
    {
        this.database = database;
        createRoom = database.Prepare("INSERT INTO rooms (name, owner, created_ms) VALUES ($name, $owner, $at) RETURNING id;", "$name", "$owner", "$at");
        addMember = database.Prepare("INSERT INTO room_members (room_id, user, acked_position) VALUES ($room, $user, $acked) RETURNING id;",
            "$room", "$user", "$acked");
        useInvitation = database.Prepare("DELETE FROM room_invitations WHERE room_id = $room AND user = $user;", "$room", "$user");
        removeMember = database.Prepare("DELETE FROM room_members WHERE room_id = $room AND user = $user;", "$room", "$user");
        setOwner = database.Prepare("UPDATE rooms SET owner = $owner WHERE id = $room;", "$room", "$owner");
        setTopic = database.Prepare("UPDATE rooms SET topic = $topic WHERE id = $room;", "$room", "$topic");
        setPrivate = database.Prepare("UPDATE rooms SET private = $private WHERE id = $room;", "$room", "$private");
        invite = database.Prepare("""
            INSERT OR IGNORE INTO room_invitations (room_id, user, invited_by, at_ms) VALUES ($room, $user, $by, $at);
            """, "$room", "$user", "$by", "$at");
        setAcked = database.Prepare("""
            UPDATE room_members SET acked_position = $position
            WHERE room_id = $room AND user = $user AND acked_position < $position;
            """, "$room", "$user", "$position");
        removeRoom =
        [
            database.Prepare("DELETE FROM room_messages WHERE room_id = $room;", "$room"),
            database.Prepare("DELETE FROM room_invitations WHERE room_id = $room;", "$room"),
            database.Prepare("DELETE FROM room_members WHERE room_id = $room;", "$room"),
            database.Prepare("DELETE FROM rooms WHERE id = $room;", "$room"),
        ];
        loadRooms = database.Prepare("""
            SELECT r.id, r.name, r.owner, r.private, r.topic, r.created_ms,
                   COALESCE((SELECT MAX(position) FROM room_messages m WHERE m.room_id = r.id), 0)
            FROM rooms r ORDER BY r.id;
            """);
        loadMembers = database.Prepare("SELECT room_id, user, id, acked_position FROM room_members ORDER BY id;");
        loadInvitations = database.Prepare("SELECT room_id, user FROM room_invitations ORDER BY at_ms, user;");
    }

    public ValueTask<IReadOnlyList<RoomRecord>> LoadRoomsAsync(CancellationToken cancellationToken = default) =>
        database.RunOnWriter<IReadOnlyList<RoomRecord>>(LoadAll, cancellationToken);

    public ValueTask<RoomCreated> CreateRoomAsync(string name, string owner, DateTimeOffset at, long ackedPosition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return new(database.Enqueue(() =>
        {
            createRoom.Bind(("$name", name), ("$owner", owner), ("$at", at.ToUnixTimeMilliseconds()));
            var roomId = ToLong(createRoom.ExecuteScalar());
            return new RoomCreated(roomId, InsertMember(roomId, owner, ackedPosition));
        }, cancellationToken));
    }

    public ValueTask<long> AddMemberAsync(long roomId, string user, long ackedPosition, string? newOwner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return new(database.Enqueue(() =>
        {
            useInvitation.Bind(("$room", roomId), ("$user", user));
            useInvitation.ExecuteNonQuery();
            if (newOwner is not null)
            {
                SetOwner(roomId, newOwner);
            }
            return InsertMember(roomId, user, ackedPosition);
        }, cancellationToken));
    }

    public ValueTask RemoveMemberAsync(long roomId, string user, string? newOwner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return new(database.Enqueue(() =>
        {
            removeMember.Bind(("$room", roomId), ("$user", user));
            removeMember.ExecuteNonQuery();
            return SetOwner(roomId, newOwner);
        }, cancellationToken));
    }

    public ValueTask SetTopicAsync(long roomId, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return database.Write(setTopic, [("$room", roomId), ("$topic", topic)], cancellationToken);
    }

    public ValueTask SetPrivateAsync(long roomId, bool isPrivate, CancellationToken cancellationToken = default) =>
        database.Write(setPrivate, [("$room", roomId), ("$private", isPrivate ? 1 : 0)], cancellationToken);

    public ValueTask AddInvitationAsync(long roomId, string user, string invitedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(invitedBy);
        return database.Write(invite, [("$room", roomId), ("$user", user), ("$by", invitedBy), ("$at", at.ToUnixTimeMilliseconds())], cancellationToken);
    }

    public ValueTask SetAckedPositionsAsync(IReadOnlyCollection<AckedPosition> positions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        return new(database.Enqueue(() =>
        {
            foreach (var (roomId, user, position) in positions)
            {
                setAcked.Bind(("$room", roomId), ("$user", user), ("$position", position));
                setAcked.ExecuteNonQuery();
            }
            return positions.Count;
        }, cancellationToken));
    }

    public ValueTask RemoveRoomAsync(long roomId, CancellationToken cancellationToken = default) =>
        new(database.Enqueue(() =>
        {
            // One transaction: the room and everything of it go together, or nothing does.
            foreach (var statement in removeRoom)
            {
                statement.Bind(("$room", roomId));
                statement.ExecuteNonQuery();
            }
            return 0;
        }, cancellationToken));

    private long InsertMember(long roomId, string user, long ackedPosition)
    {
        addMember.Bind(("$room", roomId), ("$user", user), ("$acked", ackedPosition));
        return ToLong(addMember.ExecuteScalar());
    }

    private int SetOwner(long roomId, string? owner)
    {
        setOwner.Bind(("$room", roomId), ("$owner", owner));
        return setOwner.ExecuteNonQuery();
    }

    private List<RoomRecord> LoadAll()
    {
        var members = loadMembers.ReadAll(r => (Room: r.GetInt64(0), Member: new RoomMemberRecord(r.GetString(1), r.GetInt64(2), r.GetInt64(3))))
            .ToLookup(m => m.Room, m => m.Member);
        var invited = loadInvitations.ReadAll(r => (Room: r.GetInt64(0), User: r.GetString(1))).ToLookup(i => i.Room, i => i.User);
        return loadRooms.ReadAll(r => new RoomRecord(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt64(3) != 0,
            r.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.GetInt64(6),
            [.. members[r.GetInt64(0)]], [.. invited[r.GetInt64(0)]]));
    }

    private static long ToLong(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
