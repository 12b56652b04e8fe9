using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.Guests;
using Messenger.Server.Messaging;
using Messenger.Server.Storage;

namespace Messenger.Server.Presence;

/// <summary>
/// <c>block</c> and <c>unblock</c>: in memory at once (every later message checks it), then made durable, except a block
/// by or of a guest: that one is kept in memory only (nothing is stored for a guest, and a guest name is not handed
/// out again while the server runs).
/// </summary>
public sealed class BlockHandler(BlockList blocks, IServerStore store, RequestRules rules, GuestNames guests) : IRequestRoutes
{
    /// <summary>Cluster mode: tells the other nodes' mirrors (set once at start); null on a single node.</summary>
    public Action<string, string, bool>? Changed { get; set; }

    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On(FrameType.Block, Json.BlockRequest, (context, request) => ChangeAsync(context, request.User, block: true));
        dispatcher.On(FrameType.Unblock, Json.UnblockRequest, (context, request) => ChangeAsync(context, request.User, block: false));
    }

    private async ValueTask<Reply> ChangeAsync(RequestContext context, string target, bool block)
    {
        var requester = context.Session;
        if (rules.CheckTarget(requester, target, block ? "block" : "unblock") is { } refusal)
        {
            return refusal;
        }
        if (!(block ? blocks.Add(requester.User, target) : blocks.Remove(requester.User, target)))
        {
            return block
                ? Reply.Refuse(StatusCode.Conflict, $"{target} is already blocked.", Reasons.AlreadyBlocked)
                : Reply.Refuse(StatusCode.Conflict, $"{target} is not blocked.", Reasons.NotBlocked);
        }
        if (!requester.IsGuest && !guests.IsGuest(target))
        {
            await (block ? store.AddBlockAsync(requester.User, target) : store.RemoveBlockAsync(requester.User, target));
        }
        Changed?.Invoke(requester.User, target, block);
        return Reply.Ok(block ? $"{target} is blocked" : $"{target} is unblocked");
    }
}
