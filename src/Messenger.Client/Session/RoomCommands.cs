using Messenger.Client.Commands;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Session;

/// <summary>
/// The room and history commands. A room message is confirmed by seeing it come back in the room (like every member
/// sees it), so a success prints nothing more; refusals are shown as the server worded them.
/// </summary>
internal sealed class RoomCommands(IUserInterface ui, TimeProvider time, ServerRequests requests)
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private long nextMessageId = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    public Task ExecuteAsync(ClientCommand command) => command.Kind switch
    {
        CommandKind.Join => requests.RequestAsync(FrameType.JoinRoom, new JoinRoomRequest(command.Target!), Json.JoinRoomRequest, requests.ShowResponse),
        CommandKind.Leave => requests.RequestAsync(FrameType.LeaveRoom, new LeaveRoomRequest(command.Target!), Json.LeaveRoomRequest, requests.ShowResponse),
        CommandKind.RoomMessage => requests.RequestAsync(FrameType.RoomMessage,
            new RoomMessageRequest(command.Target!, command.Text!, Interlocked.Increment(ref nextMessageId)), Json.RoomMessageRequest, _ => { }),
        CommandKind.Rooms => requests.RequestAsync(FrameType.ListRooms, new ListRoomsRequest(), Json.ListRoomsRequest, ShowRooms),
        CommandKind.Members => requests.RequestAsync(FrameType.RoomMembers, new RoomMembersRequest(command.Target!), Json.RoomMembersRequest, ShowMembers),
        CommandKind.Topic => requests.RequestAsync(FrameType.RoomSettings, new RoomSettingsRequest(command.Target!, command.Text), Json.RoomSettingsRequest,
            requests.ShowResponse),
        CommandKind.RoomMode => requests.RequestAsync(FrameType.RoomSettings, new RoomSettingsRequest(command.Target!, Private: command.Text == "private"),
            Json.RoomSettingsRequest, requests.ShowResponse),
        CommandKind.Invite => requests.RequestAsync(FrameType.RoomInvite, new RoomInviteRequest(command.Target!, command.Text!), Json.RoomInviteRequest,
            requests.ShowResponse),
        CommandKind.Kick => requests.RequestAsync(FrameType.RoomKick, new RoomKickRequest(command.Target!, command.Text!), Json.RoomKickRequest,
            requests.ShowResponse),
        CommandKind.History => requests.RequestAsync(FrameType.History, new HistoryRequest(command.Target!, command.Count), Json.HistoryRequest, ShowHistory),
        CommandKind.Invisible => requests.RequestAsync(FrameType.Invisible, new InvisibleRequest(command.Text == "on"), Json.InvisibleRequest,
            requests.ShowResponse),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.Kind, "not a room command"),
    };

    private void ShowRooms(ReceivedFrame reply)
    {
        if (!reply.TryRead(Json.RoomList, out var list))
        {
            return;
        }
        if (list.Rooms.Length == 0)
        {
            ui.WriteLine("There are no rooms yet; 'join #name' creates one.");
            return;
        }
        foreach (var room in list.Rooms)
        {
            var marks = $"{room.Members} member{(room.Members == 1 ? "" : "s")}, {(room.IsPrivate ? "private" : "public")}" +
                (room.IsMember ? ", joined" : room.IsInvited ? ", invited" : "");
            var topic = room.Topic.Length > 0 ? $": {TextSanitizer.Escape(room.Topic)}" : "";
            ui.WriteLine($"{room.Name} ({marks}){topic}");
        }
    }

    private void ShowMembers(ReceivedFrame reply)
    {
        if (!reply.TryRead(Json.RoomMemberList, out var list))
        {
            return;
        }
        ui.WriteLine($"Members of {list.Room}:");
        foreach (var member in list.Members)
        {
            ui.WriteLine($"  {member.User} ({(member.IsOwner ? "owner, " : "")}{(member.Online ? "online" : "offline")})");
        }
    }

    private void ShowHistory(ReceivedFrame reply)
    {
        if (!reply.TryRead(Json.HistoryPage, out var page))
        {
            return;
        }
        var target = TextSanitizer.Escape(page.Target);
        if (page.Entries.Length == 0)
        {
            ui.WriteLine(page.Target.StartsWith('#') ? $"No messages in {target} yet." : $"No messages with {target} yet.");
            return;
        }
        ui.WriteLine($"History of {target} ({page.Entries.Length} message{(page.Entries.Length == 1 ? "" : "s")}, oldest first):");
        if (page.Omitted > 0)
        {
            ui.WriteLine($"  ({page.Omitted} older messages did not fit; ask for fewer)");
        }
        foreach (var entry in page.Entries)
        {
            ui.WriteLine($"[{SentTimes.Format(entry.SentAtUnixMs)}] {TextSanitizer.Escape(entry.From)}: {TextSanitizer.EscapeMessage(entry.Text)}");
        }
    }
}
