namespace Messenger.Server.Storage;

/// <summary>Room messages: each stored once, at a position, for all members.</summary>
public interface IRoomLog
{
    /// <summary>Appends a message; the task completes once it is durable, with its position.</summary>
    ValueTask<long> AppendRoomMessageAsync(long roomId, string sender, long messageId, string text, DateTimeOffset sentAt,
        CancellationToken cancellationToken = default);

    /// <summary>A page of a room's messages after <paramref name="afterPosition"/>, oldest first, at most <paramref name="max"/>.</summary>
    ValueTask<IReadOnlyList<RoomMessage>> LoadRoomMessagesAsync(long roomId, long afterPosition, int max, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="max"/> messages of a room, oldest first.</summary>
    ValueTask<IReadOnlyList<RoomMessage>> LoadRecentRoomMessagesAsync(long roomId, int max, CancellationToken cancellationToken = default);
}
