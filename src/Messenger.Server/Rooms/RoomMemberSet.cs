using System.Collections.Immutable;

namespace Messenger.Server.Rooms;

/// <summary>
/// A room's members as one snapshot, in join order and by name, swapped whole on change so that the order and the
/// index always agree for readers that take no lock.
/// </summary>
internal sealed class RoomMemberSet(ImmutableArray<RoomMember> inJoinOrder)
{
    public ImmutableArray<RoomMember> InJoinOrder { get; } = inJoinOrder;

    public Dictionary<string, RoomMember> ByName { get; } = inJoinOrder.ToDictionary(m => m.User, StringComparer.Ordinal);
}
