using System.Collections.Immutable;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Rooms;

/// <summary>
/// A room in memory, mirroring the store (written through). Locking: <see cref="Changes"/> serializes membership and
/// settings changes (each awaits its store write, so it is an async lock); <see cref="Log"/> orders messages (appends
/// are queued, positions read and fan-out done under it) and is also taken, briefly, where a change touches what the
/// fan-out reads. Readers take a snapshot: <see cref="Members"/> is swapped whole on change, never edited. Lock order:
/// Log, then a session's gate; never the other way round.
/// </summary>
public sealed class Room
{
    private readonly Dictionary<string, TokenBucket> senders = new(StringComparer.Ordinal);
    private RoomMemberSet members;
    private ImmutableHashSet<string> invited;

    public Room(RoomRecord record)
    {
        Id = record.Id;
        Name = record.Name;
        Owner = record.Owner;
        IsPrivate = record.IsPrivate;
        Topic = record.Topic;
        LastPosition = record.LastPosition;
        members = new RoomMemberSet([.. record.Members.Select(m => new RoomMember(m.User, m.JoinOrder, m.AckedPosition))]);
        invited = [.. record.Invited];
    }

    public long Id { get; }

    /// <summary>The name as its creator spelled it.</summary>
    public string Name { get; }

    public SemaphoreSlim Changes { get; } = new(1, 1);

    public Lock Log { get; } = new();

    /// <summary>Set under <see cref="Log"/> once removed by an operator: nothing more is appended or joined.</summary>
    public bool Removed { get; set; }

    public string? Owner { get; set; }

    public bool IsPrivate { get; set; }

    public string Topic { get; set; }

    /// <summary>The newest committed message's position (0: none). Written under <see cref="Log"/>.</summary>
    public long LastPosition { get; set; }

    /// <summary>Messages queued for the log and not yet fanned out, in queue (= position) order. Guarded by <see cref="Log"/>.</summary>
    public Queue<RoomAppend> InFlight { get; } = new();

    /// <summary>Members in join order (the first is the longest-standing).</summary>
    public ImmutableArray<RoomMember> Members => members.InJoinOrder;

    public IReadOnlySet<string> Invited => invited;

    /// <summary>By name, in constant time: every acknowledgement and message looks its member up (a list scan was
    /// O(members) per delivery, a million comparisons per message in a room of 1,000).</summary>
    public RoomMember? FindMember(string user) => members.ByName.GetValueOrDefault(user);

    public bool IsVisibleTo(string user) => !IsPrivate || FindMember(user) is not null || invited.Contains(user);

    /// <summary>Caller holds <see cref="Changes"/> and <see cref="Log"/>.</summary>
    public void AddMember(RoomMember member)
    {
        members = new RoomMemberSet(members.InJoinOrder.Add(member));
        invited = invited.Remove(member.User);
    }

    /// <summary>Caller holds <see cref="Changes"/> and <see cref="Log"/>.</summary>
    public void RemoveMember(string user)
    {
        members = new RoomMemberSet(members.InJoinOrder.RemoveAll(m => m.User == user));
        senders.Remove(user);
    }

    /// <summary>Caller holds <see cref="Changes"/>.</summary>
    public void Invite(string user) => invited = invited.Add(user);

    /// <summary>The member who would own the room if <paramref name="leaving"/> left: the longest-standing other one.</summary>
    public string? NextOwner(string leaving) => members.InJoinOrder.FirstOrDefault(m => m.User != leaving)?.User;

    /// <summary>Caller holds <see cref="Log"/>. One token bucket per member who sends here (created on the first message).</summary>
    public bool TryTakeSendToken(string user, Func<TokenBucket> create)
    {
        if (!senders.TryGetValue(user, out var bucket))
        {
            bucket = create();
            senders[user] = bucket;
        }
        return bucket.TryTake();
    }
}

/// <summary>
/// A message on its way into a room's log, and what the fan-out needs once it committed. Settled (with its position, or
/// none when the append failed) under the room's <see cref="Room.Log"/>.
/// </summary>
public sealed class RoomAppend(string sender, long messageId, string text, DateTimeOffset sentAt)
{
    public string Sender { get; } = sender;

    public long MessageId { get; } = messageId;

    public string Text { get; } = text;

    public DateTimeOffset SentAt { get; } = sentAt;

    public bool Settled { get; private set; }

    /// <summary>The position in the log; null when the append failed.</summary>
    public long? Position { get; private set; }

    public void Settle(long? position)
    {
        Position = position;
        Settled = true;
    }
}
