using System.Text;
using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Rooms;
using Messenger.Server.Storage;

namespace Messenger.Server.History;

/// <summary>
/// <c>history &lt;#room|user&gt; [n]</c>: the last n messages of a room the user belongs to, or of the direct conversation
/// with a user, oldest first, each with its time. Senders the asker blocked are left out. What does not fit in one
/// frame is counted as omitted (the oldest go first). A direct conversation's history first waits (briefly) for the
/// history writes queued before the request, so a message just sent is in it.
/// </summary>
public sealed class HistoryHandler(IServerStore store, RoomRules rooms, RequestRules users, BlockList blocks, WriteBehind writeBehind,
    bool keepsDirectHistory = true) : IRequestRoutes
{
    public const int DefaultCount = 20;

    public const int MaxCount = 500;

    /// <summary>Text bytes one page carries at most: inside the frame limit even if JSON escaping made every byte six.</summary>
    private const int MaxPageTextBytes = 128 * 1024;

    /// <summary>How long a history request waits at most for the history writes queued before it.</summary>
    private static readonly TimeSpan HistoryWriteWait = TimeSpan.FromSeconds(2);

    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public void Map(FrameDispatcher dispatcher) => dispatcher.On(FrameType.History, Json.HistoryRequest, (context, request) => ShowAsync(context.Session, request));

    private async ValueTask<Reply> ShowAsync(Sessions.Session asker, HistoryRequest request)
    {
        var user = asker.User;
        if (request.Count is < 1 or > MaxCount)
        {
            return Reply.Refuse(StatusCode.BadRequest, $"Usage: history <#room|user> [<n>] (n from 1 to {MaxCount}).", Reasons.BadRequest);
        }
        HistoryEntry[] entries;
        string target;
        if (RoomNames.IsRoomTarget(request.Target))
        {
            if (rooms.FindMembership(request.Target, user, out var room) is { } refusal)
            {
                return refusal;
            }
            target = room.Name;
            entries = [.. (await store.LoadRecentRoomMessagesAsync(room.Id, request.Count))
                .Where(m => !blocks.IsBlocked(user, m.Sender))
                .Select(m => new HistoryEntry(m.Sender, m.Text, m.SentAt.ToUnixTimeMilliseconds()))];
        }
        else
        {
            if (users.CheckTarget(asker, request.Target, "read the history with") is { } refusal)
            {
                return refusal;
            }
            if (!keepsDirectHistory)
            {
                return Reply.Refuse(StatusCode.NotFound, "This server keeps no history of direct messages (rooms keep theirs).", Reasons.NoHistory);
            }
            target = request.Target;
            // Read your own writes: what was accepted before this request is in the history it shows, though written behind.
            await writeBehind.DrainAsync(HistoryWriteWait);
            entries = [.. (await store.LoadDirectHistoryAsync(user, request.Target, request.Count))
                .Select(m => new HistoryEntry(m.Sender, m.Text, m.SentAt.ToUnixTimeMilliseconds()))];
        }
        var kept = FitInOnePage(entries);
        return Reply.Frame(FrameType.HistoryPage, new HistoryPage(target, kept, entries.Length - kept.Length), Json.HistoryPage);
    }

    private static HistoryEntry[] FitInOnePage(HistoryEntry[] entries)
    {
        var bytes = 0;
        var first = entries.Length;
        while (first > 0 && (bytes += Encoding.UTF8.GetByteCount(entries[first - 1].Text)) <= MaxPageTextBytes)
        {
            first--;
        }
        return first == 0 ? entries : entries[first..];
    }
}
