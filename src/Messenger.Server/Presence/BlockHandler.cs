using Messenger.Protocol.Contracts;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Presence;

/// <summary><c>block</c> and <c>unblock</c>: in memory at once (every later message checks it), then made durable.</summary>
public sealed class BlockHandler(BlockList blocks, IServerStore store, RequestRules rules)
{
    public Task BlockAsync(Session requester, IClientLink link, uint requestId, string target) =>
        ChangeAsync(requester, link, requestId, target, block: true);

    public Task UnblockAsync(Session requester, IClientLink link, uint requestId, string target) =>
        ChangeAsync(requester, link, requestId, target, block: false);

    private async Task ChangeAsync(Session requester, IClientLink link, uint requestId, string target, bool block)
    {
        if (!rules.ValidateTarget(requester, link, requestId, target, block ? "block" : "unblock"))
        {
            return;
        }
        if (!(block ? blocks.Add(requester.User, target) : blocks.Remove(requester.User, target)))
        {
            link.TrySend(block
                ? ServerFrames.Response(requestId, StatusCode.Conflict, $"{target} is already blocked.", Reasons.AlreadyBlocked)
                : ServerFrames.Response(requestId, StatusCode.Conflict, $"{target} is not blocked.", Reasons.NotBlocked));
            return;
        }
        await (block ? store.AddBlockAsync(requester.User, target) : store.RemoveBlockAsync(requester.User, target));
        link.TrySend(ServerFrames.Ok(requestId, block ? $"{target} is blocked" : $"{target} is unblocked"));
    }
}
