using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Auth;
using Messenger.Server.Sessions;

namespace Messenger.Server.Messaging;

/// <summary>The checks several requests share (a text, a target user), each answering the refusal itself.</summary>
public sealed class RequestRules(ICredentialStore credentials)
{
    /// <summary>False (and the sender told why) when the text is empty or longer than the protocol allows.</summary>
    public bool ValidateText(IClientLink link, uint requestId, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, "The message is empty.", Reasons.EmptyText));
            return false;
        }
        if (System.Text.Encoding.UTF8.GetByteCount(text) > ProtocolLimits.MaxTextLength)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.PayloadTooLarge,
                $"The message is too long (at most {ProtocolLimits.MaxTextLength} bytes).", Reasons.TextTooLong));
            return false;
        }
        return true;
    }

    /// <summary>False (and the requester told why) when the target is the requester or not a known user.</summary>
    /// <param name="what">What the requester tried, for the answer: "block", "start a private session with".</param>
    public bool ValidateTarget(Session requester, IClientLink link, uint requestId, string target, string what)
    {
        if (target == requester.User)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, $"You cannot {what} yourself.", Reasons.Self));
            return false;
        }
        if (!UserNames.IsValid(target) || !credentials.Contains(target))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.NotFound, $"Invalid user: {target}.", Reasons.UnknownUser));
            return false;
        }
        return true;
    }
}
