using Messenger.Server.Hosting;
using Messenger.Server.Messaging;

namespace Messenger.Server.Admin;

/// <summary>
/// The operator's console: users, kick, broadcast, send, stats, version, rooms, room, removeroom, purgehistory, shutdown,
/// help. Reads lines from any TextReader;
/// end of input closes the console only, never the server (under systemd, nohup or CI stdin is /dev/null).
/// </summary>
public sealed class ServerConsole(ServerCore chat, TextWriter output, Func<Task> shutdown)
{
    public const string HelpText = """
        Server console commands:
          users               who is logged in (guests marked; in a cluster, every node's users)
          kick <user>         end a user's session (on whichever node holds it)
          broadcast <text>    send a notice to every online user (every node's)
          send <user> <text>  send a message to one user (stored if offline)
          stats               connections, users, messages routed and stored, history writes dropped (this node's; in a cluster also the live nodes and their users)
          version             server and protocol version, and the key fingerprint clients pin
          rooms               every room: mode, members, owner, topic
          room <#room>        a room's owner, mode, topic, invitations and members
          removeroom <#room>  delete a room and its history (members are told)
          purgehistory <user> delete a user's direct-message history
          shutdown            tell everyone, then stop the server
          help                this list
        """;

    public async Task RunAsync(TextReader input, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await input.ReadLineAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (line is null)
            {
                return;
            }
            if (await ExecuteAsync(line.Trim()))
            {
                return;
            }
        }
    }

    /// <summary>Runs one command; true when it was `shutdown`.</summary>
    public async Task<bool> ExecuteAsync(string line)
    {
        if (line.Length == 0)
        {
            return false;
        }
        var (command, rest) = Split(line);
        switch (command)
        {
            case "users":
                var users = chat.Operator.OnlineUsers().Select(user => user.Marks.Length == 0 ? user.Name : $"{user.Name} ({user.Marks})").ToList();
                await output.WriteLineAsync(users.Count == 0 ? "No users online." : string.Join(Environment.NewLine, users));
                break;
            case "kick" when rest.Length > 0:
                await output.WriteLineAsync(OperatorCommands.Describe(await chat.Operator.KickAsync(rest), rest));
                break;
            case "broadcast" when rest.Length > 0:
                await output.WriteLineAsync($"Notice sent to {chat.Operator.NoticeAll(rest)} user(s).");
                break;
            case "send" when Split(rest) is { Head.Length: > 0, Tail.Length: > 0 } target:
                await output.WriteLineAsync(await chat.Operator.SendAsServerAsync(target.Head, target.Tail)
                    ? $"Message for {target.Head} accepted."
                    : $"Unknown user {target.Head}.");
                break;
            case "stats":
                var stats = chat.Stats;
                await output.WriteLineAsync(
                    $"connections={stats.OpenConnections} users={chat.Sessions.Count} routed={stats.MessagesRouted} stored={stats.MessagesStored} " +
                    $"history-dropped={chat.History.Dropped}{ClusterStats()}");
                break;
            case "rooms":
                await output.WriteLineAsync(chat.RoomAdmin.ListRooms());
                break;
            case "room" when rest.Length > 0:
                await output.WriteLineAsync(chat.RoomAdmin.DescribeRoom(rest) ?? $"There is no room {rest}.");
                break;
            case "removeroom" when rest.Length > 0:
                await output.WriteLineAsync(await chat.RoomAdmin.RemoveRoomAsync(rest) ? $"{rest} was removed with its history." : $"There is no room {rest}.");
                break;
            case "purgehistory" when rest.Length > 0:
                await output.WriteLineAsync($"{await chat.RoomAdmin.PurgeHistoryAsync(rest)} direct messages of {rest} removed from history.");
                break;
            case "version":
                await output.WriteLineAsync(chat.Version.ConsoleText());
                break;
            case "shutdown":
                await output.WriteLineAsync("Shutting down...");
                await shutdown();
                return true;
            case "help":
                await output.WriteLineAsync(HelpText);
                break;
            default:
                await output.WriteLineAsync($"Unknown or incomplete console command '{line}'. Type 'help'.");
                break;
        }
        return false;
    }

    /// <summary>In a cluster, the live nodes and how many users they hold besides this one's (the figures before are this node's).</summary>
    private string ClusterStats() => chat.Cluster is not { } node ? ""
        : $" node={node.Directory.Self} live-nodes={string.Join(',', node.Directory.LiveNodes.Order(StringComparer.Ordinal))} users-elsewhere={node.Operator.UsersElsewhere.Count()}";

    private static (string Head, string Tail) Split(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }
}
