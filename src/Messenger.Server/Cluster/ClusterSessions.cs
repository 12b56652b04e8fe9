using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Messenger.Server.Sessions;

namespace Messenger.Server.Cluster;

/// <summary>
/// Session claims across nodes: a login or resume on this node checks the record (PostgreSQL), asks a live holder to
/// hand the session over (a takeover, answered within <see cref="ClusterOptions.TakeoverTimeout"/>), and then claims
/// it and tells every node. The session's contents stay on the node with the TCP connection.
/// </summary>
public sealed class ClusterSessions(IClusterBus bus, IClusterRecord record, ClusterDirectory directory, ClusterOptions options, TimeProvider time)
{
    private readonly ClusterCalls<bool> calls = new(time);

    /// <summary>Hands a session of this node over (resume elsewhere, or a password login elsewhere while detached).</summary>
    public Func<TakeoverItem, Task<bool>> HandOver { get; set; } = _ => Task.FromResult(false);

    public async Task<ClaimResult> ClaimAsync(string user, string? resumeToken)
    {
        SessionClaim? claim;
        try
        {
            claim = await record.FindClaimAsync(user);
        }
        catch (DbException)
        {
            return ClaimResult.StoreFailed; // answered server_error; the connection stays open
        }
        if (resumeToken is not null && (claim is null || !CryptographicOperations.FixedTimeEquals(claim.TokenHash, Hash(resumeToken))))
        {
            return ClaimResult.BadToken;
        }
        if (claim is null)
        {
            return ClaimResult.Fresh;
        }
        if (claim.Node == directory.Self)
        {
            return ClaimResult.Moved; // This node restarted: the session died with its last run.
        }
        // A holder that does not answer may have just died (its clients come here first): ask again until the sweep
        // declares it dead, then the session is free.
        // Its last heartbeat may be up to a sweep old, and each question waits a whole TakeoverTimeout: allow for both.
        var giveUpAt = time.GetUtcNow() + options.DeadAfter + options.TakeoverTimeout * 2;
        while (directory.IsLive(claim.Node))
        {
            if (await AskToHandOverAsync(claim.Node, user, resumeToken is not null) is { } released)
            {
                return released ? ClaimResult.Moved : ClaimResult.Refused;
            }
            if (directory.IsLive(claim.Node) && time.GetUtcNow() >= giveUpAt)
            {
                return ClaimResult.Unavailable;
            }
        }
        return ClaimResult.Moved;
    }

    /// <summary>Asks <paramref name="node"/> for the session: true released, false refused, null no answer in time.</summary>
    private async Task<bool?> AskToHandOverAsync(string node, string user, bool resume)
    {
        try
        {
            return await calls.AskAsync(call => bus.Send(node, new TakeoverItem(call, user, resume)), options.TakeoverTimeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Records that this node now holds <paramref name="session"/> and tells every node (moved: no presence change).</summary>
    public async Task CommitAsync(Session session, bool moved)
    {
        await record.ClaimAsync(new SessionClaim(session.User, directory.Self, Hash(session.ResumeToken)));
        directory.Set(session.User, directory.Self);
        bus.Publish(new SessionEvent(session.User, moved ? SessionChange.Moved : SessionChange.LoggedIn, directory.Self, time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    /// <summary>The session ended on this node for good: the claim goes, every node hears the logout (quiet: an invisible user's, no line).</summary>
    public async Task EndedAsync(string user, DateTimeOffset at, bool quiet = false)
    {
        directory.Remove(user, directory.Self);
        bus.Publish(new SessionEvent(user, SessionChange.LoggedOut, directory.Self, at.ToUnixTimeMilliseconds(), quiet));
        await record.ReleaseClaimAsync(user, directory.Self);
    }

    /// <summary>Ends a session of this node that the cluster settled elsewhere, with no logout anyone sees (set once at start).</summary>
    public Func<Session, Task> LetGo { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// After a heartbeat at start, or after a fence: the directory from the record's claims, and this node's part of
    /// them settled. A claim here with no session here (this node restarted) is closed now, once, for everyone. A
    /// session here whose claim is not (the cluster logged it out, or it resumed on another node, while this node was
    /// away) ends here without a word. A claim and a session both here: the session waits for its client as it was.
    /// </summary>
    public async Task SettleAsync(SessionRegistry local)
    {
        directory.Load(await record.LoadClaimsAsync());
        foreach (var user in directory.UsersOn(directory.Self).Where(user => local.Find(user) is null).ToList())
        {
            await EndedAsync(user, time.GetUtcNow());
        }
        foreach (var session in local.All.Where(session => directory.Owner(session.User) != directory.Self).ToList())
        {
            await LetGo(session);
        }
    }

    public async Task TakeoverAsync(TakeoverItem item)
    {
        var released = await HandOver(item);
        bus.Send(item.From, new TakeoverReply(item.CallId, released));
    }

    public void Answered(TakeoverReply reply) => calls.Answer(reply.CallId, reply.Released);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
