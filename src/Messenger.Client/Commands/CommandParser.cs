namespace Messenger.Client.Commands;

/// <summary>
/// Turns a typed line into a <see cref="ClientCommand"/>. One parser for terminal and pipe modes. Commands are
/// case-sensitive; message text is everything after the user name's single separating space, spacing kept.
/// </summary>
public static class CommandParser
{
    public static readonly IReadOnlyList<(string Usage, string Description)> Help =
    [
        ("message <user> <text>", "send a message to a user (kept for them if they are offline)"),
        ("message <#room> <text>", "send a message to a room (members who are away get it later)"),
        ("broadcast <text>", "send a message to every online user"),
        ("whoelse", "list the other users online now"),
        ("whoelsesince <seconds>", "list the other users online at any time in the last <seconds>"),
        ("block <user>", "stop a user from messaging you or seeing you online"),
        ("unblock <user>", "undo a block"),
        ("startprivate <user>", "open a private session straight to an online user"),
        ("private <user> <text>", "send a private message (it never passes through the server)"),
        ("stopprivate <user>", "end a private session"),
        ("privatemode [ask|open]", "ask: others need your yes for a private session; open: they don't (default)"),
        ("acceptprivate <user>", "accept a user's request for a private session"),
        ("declineprivate <user>", "decline a user's request for a private session"),
        ("privates", "list your open private sessions: since when, messages each way"),
        ("p2pDownload <file> [<id>]", "download a file from the users who share it (several at once)"),
        ("join <#room>", "join a room; a new name creates it, with you as its owner"),
        ("leave <#room>", "leave a room"),
        ("rooms", "list the rooms you can see, with members and topic"),
        ("members <#room>", "list a room's members, online or offline"),
        ("topic <#room> [<text>]", "show a room's topic, or (owner) set it"),
        ("invite <#room> <user>", "(owner) invite a user; the only way into a private room"),
        ("kick <#room> <user>", "(owner) remove a member from a room"),
        ("roommode <#room> public|private", "(owner) make a room public or invitation-only"),
        ("history <#room|user> [<n>]", "the last n messages (20, at most 500) of a room or a conversation"),
        ("invisible on|off", "hide or show yourself in whoelse, presence and member lists"),
        ("version", "client, server and protocol versions, and the server's key"),
        ("logout", "log out and exit"),
        ("help", "show this list"),
    ];

    public static CommandParseResult Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return CommandParseResult.Empty;
        }
        var (word, rest) = SplitWord(line.TrimStart());
        return word switch
        {
            "message" => rest.StartsWith('#')
                ? ParseMessage(rest, CommandKind.RoomMessage, "message <#room> <text>")
                : ParseMessage(rest, CommandKind.Message, "message <user> <text>"),
            "join" => ParseUser(CommandKind.Join, rest, "join <#room>"),
            "leave" => ParseUser(CommandKind.Leave, rest, "leave <#room>"),
            "rooms" => NoArguments(CommandKind.Rooms, rest, "rooms"),
            "members" => ParseUser(CommandKind.Members, rest, "members <#room>"),
            "topic" => ParseTopic(rest),
            "invite" => ParseTwoWords(CommandKind.Invite, rest, "invite <#room> <user>"),
            "kick" => ParseTwoWords(CommandKind.Kick, rest, "kick <#room> <user>"),
            "roommode" => ParseRoomMode(rest),
            "history" => ParseHistory(rest),
            "invisible" => rest.Trim() is "on" or "off"
                ? CommandParseResult.Ok(new ClientCommand(CommandKind.Invisible, Text: rest.Trim()))
                : Usage("invisible on|off"),
            "broadcast" => rest.Length == 0
                ? Usage("broadcast <text>")
                : CommandParseResult.Ok(new ClientCommand(CommandKind.Broadcast, Text: rest)),
            "whoelse" => NoArguments(CommandKind.WhoElse, rest, "whoelse"),
            "whoelsesince" => ParseSince(rest),
            "block" => ParseUser(CommandKind.Block, rest, "block <user>"),
            "unblock" => ParseUser(CommandKind.Unblock, rest, "unblock <user>"),
            "startprivate" => ParseUser(CommandKind.StartPrivate, rest, "startprivate <user>"),
            "private" => ParseMessage(rest, CommandKind.Private, "private <user> <text>"),
            "stopprivate" => ParseUser(CommandKind.StopPrivate, rest, "stopprivate <user>"),
            "p2pDownload" => ParseDownload(rest),
            "privatemode" => ParsePrivateMode(rest),
            "acceptprivate" => ParseUser(CommandKind.AcceptPrivate, rest, "acceptprivate <user>"),
            "declineprivate" => ParseUser(CommandKind.DeclinePrivate, rest, "declineprivate <user>"),
            "privates" => NoArguments(CommandKind.Privates, rest, "privates"),
            "version" => NoArguments(CommandKind.Version, rest, "version"),
            "logout" => NoArguments(CommandKind.Logout, rest, "logout"),
            "help" => CommandParseResult.Ok(new ClientCommand(CommandKind.Help)),
            _ => CommandParseResult.Fail($"Invalid command '{word}'. Type 'help' to see the commands."),
        };
    }

    private static CommandParseResult ParseMessage(string rest, CommandKind kind, string usage)
    {
        var (user, text) = SplitWord(rest);
        if (user.Length == 0 || text.Trim().Length == 0)
        {
            return Usage(usage);
        }
        return CommandParseResult.Ok(new ClientCommand(kind, user, text));
    }

    private static CommandParseResult ParseTopic(string rest)
    {
        var (room, text) = SplitWord(rest.TrimStart());
        return room.Length == 0
            ? Usage("topic <#room> [<text>]")
            : CommandParseResult.Ok(new ClientCommand(CommandKind.Topic, room, text.Trim().Length == 0 ? null : text.Trim()));
    }

    private static CommandParseResult ParseTwoWords(CommandKind kind, string rest, string usage)
    {
        var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 ? CommandParseResult.Ok(new ClientCommand(kind, parts[0], parts[1])) : Usage(usage);
    }

    private static CommandParseResult ParseRoomMode(string rest)
    {
        var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && parts[1] is "public" or "private"
            ? CommandParseResult.Ok(new ClientCommand(CommandKind.RoomMode, parts[0], parts[1]))
            : Usage("roommode <#room> public|private");
    }

    /// <summary>The history bounds, as the server checks them too.</summary>
    public const int DefaultHistoryCount = 20;

    public const int MaxHistoryCount = 500;

    private static CommandParseResult ParseHistory(string rest)
    {
        var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var count = DefaultHistoryCount;
        if (parts.Length is < 1 or > 2 || (parts.Length == 2 && (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out count) || count is < 1 or > MaxHistoryCount)))
        {
            return Usage($"history <#room|user> [<n>] (n from 1 to {MaxHistoryCount}, {DefaultHistoryCount} if left out)");
        }
        return CommandParseResult.Ok(new ClientCommand(CommandKind.History, parts[0], Count: count));
    }

    private static CommandParseResult ParseDownload(string rest)
    {
        var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length is 1 or 2
            ? CommandParseResult.Ok(new ClientCommand(CommandKind.Download, parts[0], parts.Length == 2 ? parts[1] : null))
            : Usage("p2pDownload <file> [<file id>]");
    }

    /// <summary>Without an argument it shows the current mode (<see cref="ClientCommand.Text"/> null).</summary>
    private static CommandParseResult ParsePrivateMode(string rest) => rest.Trim() switch
    {
        "" => CommandParseResult.Ok(new ClientCommand(CommandKind.PrivateMode)),
        "ask" or "open" => CommandParseResult.Ok(new ClientCommand(CommandKind.PrivateMode, Text: rest.Trim())),
        _ => Usage("privatemode [ask|open]"),
    };

    private static CommandParseResult ParseSince(string rest)
    {
        var argument = rest.Trim();
        if (argument.Length == 0 || argument.Contains(' ', StringComparison.Ordinal) || !long.TryParse(argument, System.Globalization.NumberStyles.None, null, out var seconds))
        {
            return Usage("whoelsesince <seconds> (a whole number of seconds, 0 or more)");
        }
        return CommandParseResult.Ok(new ClientCommand(CommandKind.WhoElseSince, Seconds: seconds));
    }

    private static CommandParseResult ParseUser(CommandKind kind, string rest, string usage)
    {
        var user = rest.Trim();
        return user.Length == 0 || user.Contains(' ', StringComparison.Ordinal)
            ? Usage(usage)
            : CommandParseResult.Ok(new ClientCommand(kind, user));
    }

    private static CommandParseResult NoArguments(CommandKind kind, string rest, string usage) =>
        rest.Trim().Length == 0 ? CommandParseResult.Ok(new ClientCommand(kind)) : Usage(usage);

    private static CommandParseResult Usage(string usage) => CommandParseResult.Fail($"Usage: {usage}");

    /// <summary>Splits off the first word; the rest keeps its spacing except the one separating space.</summary>
    private static (string Word, string Remainder) SplitWord(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..]);
    }
}
