using Messenger.Protocol.Contracts;
using Messenger.Protocol.Tasks;
using Messenger.Server.Dispatch;
using Messenger.Server.Private;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Cluster;

/// <summary>
/// startprivate between nodes: the requester's node asks the node holding the target (<see cref="PrivateOfferItem"/>),
/// which runs the single node's decision (<see cref="PrivateSessionBroker.Offer"/>: blocks, endpoint, mode, consent) and
/// answers; a consent answered later there goes back to whichever node holds the requester then. Private traffic
/// itself is peer to peer, and every node signs tickets with the one key the cluster shares.
/// </summary>
public sealed class ClusterPrivates(IClusterBus bus, ClusterDirectory directory, PrivateSessionBroker broker, ClusterOptions options, TimeProvider time,
    ILogger logger) : IRemotePrivates
{
    private readonly ClusterCalls<PrivateOffer> calls = new(time);
    private readonly BackgroundWork waiting = new((what, failure) => logger.LogError(failure, "{Work} failed", what));

    public string? NodeOf(string user) => directory.RemoteOwner(user);

    /// <summary>Waits for the target's node beside the requester's frame loop; no answer in time (the node just died): offline.</summary>
    public void Offer(RequestContext context, string node, PrivateRequester requester, string target) =>
        waiting.Run($"startprivate from {requester.User} to {target} on {node}", async () =>
        {
            PrivateOffer offer;
            try
            {
                offer = await calls.AskAsync(call => bus.Send(node, new PrivateOfferItem(call, requester.User, requester.Fingerprint, target)), options.TakeoverTimeout);
            }
            catch (TimeoutException)
            {
                offer = PrivateOffer.Refused(StatusCode.NotFound, $"{target} is offline.", Reasons.Offline);
            }
            FrameDispatcher.Send(context, offer.ToReply(ProtocolJsonContext.Default));
        });

    public void Tell(string node, string requester, PrivateConsent consent) => bus.Send(node, new PrivateConsentItem(requester, consent));

    public void ModeChanged(string user, PrivateMode mode) => bus.Publish(new PrivateModeEvent(user, mode));

    /// <summary>A user of another node asks for one of this node's users.</summary>
    public void Offered(PrivateOfferItem item) =>
        bus.Send(item.From, new PrivateOfferReply(item.CallId, broker.Offer(new PrivateRequester(item.Requester, item.Fingerprint), item.Target)));

    public void Answered(PrivateOfferReply reply) => calls.Answer(reply.CallId, reply.Offer);

    /// <summary>The outcome of a request for a user of this node (it may have moved on since: then it is not told).</summary>
    public void Consented(PrivateConsentItem item) => broker.TellHere(item.Requester, item.Consent);

    public void ModeSet(PrivateModeEvent change) => broker.Modes.Set(change.User, change.Mode);

    /// <summary>Waits for the questions still out (at stop).</summary>
    public Task DrainAsync(TimeSpan timeout) => waiting.DrainAsync(timeout);
}
