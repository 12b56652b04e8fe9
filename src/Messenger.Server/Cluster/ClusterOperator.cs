using Messenger.Server.Admin;

namespace Messenger.Server.Cluster;

/// <summary>
/// The operator's console and dashboard across nodes: `users` lists the sessions of every live node, `kick` reaches a
/// user on any of them (the holding node ends the session and says whether it still had one), and a notice goes to
/// every node's users.
/// </summary>
public sealed class ClusterOperator(IClusterBus bus, ClusterDirectory directory, ClusterOptions options, TimeProvider time)
{
    private readonly ClusterCalls<bool> calls = new(time);

    /// <summary>Ends a session of this node; true if there was one (set once at start).</summary>
    public Func<string, Task<bool>> KickHere { get; set; } = _ => Task.FromResult(false);

    /// <summary>Shows a notice to this node's users (set once at start).</summary>
    public Action<string> NoticeHere { get; set; } = _ => { };

    /// <summary>Users whose sessions are on other live nodes, with their node.</summary>
    public IEnumerable<OnlineUser> UsersElsewhere =>
        directory.UsersOnLiveNodes.Select(entry => new OnlineUser(entry.User, Node: entry.Node));

    /// <summary>Asks the node holding <paramref name="user"/>'s session to end it.</summary>
    public async Task<KickResult> KickElsewhereAsync(string user)
    {
        if (directory.RemoteOwner(user) is not { } node)
        {
            return KickResult.NotOnline;
        }
        try
        {
            return await calls.AskAsync(call => bus.Send(node, new KickItem(call, user)), options.TakeoverTimeout) ? KickResult.Disconnected : KickResult.NotOnline;
        }
        catch (TimeoutException)
        {
            return KickResult.NoAnswer;
        }
    }

    /// <summary>Another node's operator kicks a user of this node: end the session, then answer.</summary>
    public async Task KickedAsync(KickItem kick) => bus.Send(kick.From, new KickReply(kick.CallId, await KickHere(kick.User)));

    public void Answered(KickReply reply) => calls.Answer(reply.CallId, reply.Kicked);

    /// <summary>Sends the notice to every other node; returns how many users those nodes hold.</summary>
    public int NoticeElsewhere(string text)
    {
        bus.Publish(new NoticeEvent(text));
        return UsersElsewhere.Count();
    }

    public void Noticed(NoticeEvent notice) => NoticeHere(notice.Text);
}
