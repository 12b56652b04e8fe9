using Messenger.Protocol.Transport;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Rooms;

/// <summary>
/// Brings a link up to date with its rooms: at attach (login, resume, takeover) every room the user belongs to is read
/// from the member's acknowledged position on, a page at a time, in order; the next page of a room goes when the client
/// has acknowledged most of the last (so a long absence never trips the slow-consumer bound). Acknowledgements move the
/// member's position (written behind). See <see cref="RoomCursors"/> for how catch-up hands over to live delivery.
/// </summary>
public sealed class RoomCatchUp(IServerStore store, RoomDirectory rooms, BlockList blocks, AckedPositionWriter positionWriter)
{
    /// <summary>Room messages per catch-up page: 100 of the longest texts stay well under the 4 MiB outbound bound.</summary>
    public const int PageSize = 100;

    /// <summary>Caller holds the session's gate; a link was attached: every room starts catching up.</summary>
    public void Restart(Session session) =>
        session.Rooms.Restart(rooms.RoomsOf(session.User)
            .Select(room => (room.Id, room.FindMember(session.User)?.AckedPosition ?? room.LastPosition)));

    /// <summary>Sends what is due: the next page of every room still catching up and not waiting for acknowledgements.</summary>
    public async Task CatchUpAsync(Session session)
    {
        while (true)
        {
            long roomId;
            RoomCursor cursor;
            long after;
            int generation;
            lock (session.Gate)
            {
                if (session.Link is null || session.Rooms.BeginNextLoad() is not { } next)
                {
                    return;
                }
                (roomId, cursor) = next;
                after = cursor.SentUpTo;
                generation = session.Rooms.Generation;
            }
            var room = rooms.Find(roomId);
            IReadOnlyList<RoomMessage> page;
            try
            {
                page = room is null ? [] : await store.LoadRoomMessagesAsync(roomId, after, PageSize);
            }
            catch
            {
                lock (session.Gate)
                {
                    cursor.Loading = false;
                }
                throw;
            }
            lock (session.Gate)
            {
                if (generation != session.Rooms.Generation || session.Link is not { } link || !ReferenceEquals(session.Rooms.Find(roomId), cursor))
                {
                    continue; // Another link, or the user left the room: this page belongs to no one.
                }
                cursor.Loading = false;
                foreach (var message in page)
                {
                    if (message.Position <= cursor.SentUpTo)
                    {
                        continue;
                    }
                    cursor.SentUpTo = message.Position;
                    if (!blocks.IsBlocked(session.User, message.Sender) && !link.TrySend(RoomFrames.Message(room!.Name, message), OutboundLane.Bulk))
                    {
                        return; // The link closed; the next attach starts again from the acknowledged position.
                    }
                }
                if (page.Count == PageSize)
                {
                    cursor.Paused = true;
                }
                else if (!cursor.Missed)
                {
                    cursor.CatchingUp = false; // Caught up: nothing in the log that was not sent, nothing live skipped since.
                }
            }
        }
    }

    /// <summary>The client has shown these positions: the member's position moves, and a paused catch-up goes on.</summary>
    public async Task AcknowledgeAsync(Session session, IEnumerable<(Room Room, long Position)> positions)
    {
        var resume = false;
        foreach (var (room, position) in positions)
        {
            if (room.FindMember(session.User) is { } member && member.Acknowledge(position))
            {
                positionWriter.Acknowledged(room, member);
            }
            lock (session.Gate)
            {
                if (session.Rooms.Find(room.Id) is { Paused: true } cursor && position >= cursor.SentUpTo - (PageSize / 2))
                {
                    cursor.Paused = false;
                    resume = true;
                }
            }
        }
        if (resume)
        {
            await CatchUpAsync(session);
        }
    }
}
