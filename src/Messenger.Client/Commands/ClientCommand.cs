namespace Messenger.Client.Commands;

/// <summary>A parsed user command. <see cref="Target"/> is the user argument; <see cref="Text"/> keeps its spacing.</summary>
/// <see cref="Count"/> is how many messages <c>history</c> shows.
public sealed record ClientCommand(CommandKind Kind, string? Target = null, string? Text = null, long Seconds = 0, int Count = 0);

public enum CommandKind
{
    Message,
    Broadcast,
    WhoElse,
    WhoElseSince,
    Block,
    Unblock,
    Logout,
    Help,
    StartPrivate,
    Private,
    StopPrivate,
    Download,
    Join,
    Leave,
    RoomMessage,
    Rooms,
    Members,
    Topic,
    Invite,
    Kick,
    RoomMode,
    History,
    Invisible,
    PrivateMode,
    AcceptPrivate,
    DeclinePrivate,
    Privates,
    Version,
}
