using Messenger.Protocol.Contracts;
using Messenger.Server.Dispatch;

namespace Messenger.Server.Private;

/// <summary>
/// Cluster mode's side of private-session brokering (docs/ARCHITECTURE.md "Cluster mode"): the node holding the target
/// decides (its endpoint, its mode, its consent), the requester's node only carries the question and the answers.
/// Null on a single node.
/// </summary>
public interface IRemotePrivates
{
    /// <summary>The live node other than this one that holds <paramref name="user"/>'s session, if any.</summary>
    string? NodeOf(string user);

    /// <summary>Asks <paramref name="node"/> to offer <paramref name="target"/> and answers <paramref name="context"/> by itself (later).</summary>
    void Offer(RequestContext context, string node, PrivateRequester requester, string target);

    /// <summary>Tells a requester on <paramref name="node"/> how its request ended.</summary>
    void Tell(string node, string requester, PrivateConsent consent);

    /// <summary>A user's private mode changed here: the other nodes follow, so it holds wherever the user logs in next.</summary>
    void ModeChanged(string user, PrivateMode mode);
}
