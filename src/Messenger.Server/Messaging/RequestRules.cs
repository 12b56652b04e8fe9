using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Auth;
using Messenger.Server.Dispatch;
using Messenger.Server.Guests;
using Messenger.Server.Sessions;

namespace Messenger.Server.Messaging;

/// <summary>The checks several requests share (a text, a target user): each returns the refusal, or null when it passes.</summary>
public sealed class RequestRules(ICredentialStore credentials, GuestNames guests, SessionRegistry sessions)
{
    /// <summary>Cluster mode: whether a user's session is on another live node (set once at start), so a guest there can be reached.</summary>
    public Func<string, bool> OnlineElsewhere { get; set; } = _ => false;

    /// <summary>The refusal when the text is empty or longer than the protocol allows.</summary>
    public static Reply? CheckText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Reply.Refuse(StatusCode.BadRequest, "The message is empty.", Reasons.EmptyText);
        }
        // A char is at most 3 bytes in UTF-8, so a short text needs no count (a pass over every text sent).
        if (text.Length > ProtocolLimits.MaxTextLength / 3 && System.Text.Encoding.UTF8.GetByteCount(text) > ProtocolLimits.MaxTextLength)
        {
            return Reply.Refuse(StatusCode.PayloadTooLarge, $"The message is too long (at most {ProtocolLimits.MaxTextLength} bytes).", Reasons.TextTooLong);
        }
        return null;
    }

    /// <summary>The refusal when the target is the requester, or neither an account nor a guest online now.</summary>
    /// <param name="what">What the requester tried, for the answer: "block", "start a private session with".</param>
    public Reply? CheckTarget(Session requester, string target, string what) => CheckTarget(requester, target, what, out _);

    /// <summary>
    /// <see cref="CheckTarget(Session, string, string)"/>, with the target's session on this node when it has one
    /// (<paramref name="online"/>), so a caller that routes to it need not look it up again. A session here is an
    /// account or a guest logged in now (accounts are never removed), so it passes without the name and account checks:
    /// on W1's path those were three more lookups of the name per message.
    /// </summary>
    public Reply? CheckTarget(Session requester, string target, string what, out Session? online)
    {
        online = null;
        if (target == requester.User)
        {
            return Reply.Refuse(StatusCode.BadRequest, $"You cannot {what} yourself.", Reasons.Self);
        }
        if ((online = sessions.Find(target)) is not null)
        {
            return null;
        }
        if (guests.IsGuest(target) && !OnlineElsewhere(target)) // and not online here: a guest is gone once they leave
        {
            return Reply.Refuse(StatusCode.NotFound, $"{target} is not online (a guest is gone once they leave).", Reasons.GuestGone);
        }
        if (!UserNames.IsValid(target) || !(credentials.Contains(target) || guests.IsGuest(target)))
        {
            return Reply.Refuse(StatusCode.NotFound, $"Invalid user: {target}.", Reasons.UnknownUser);
        }
        return null;
    }
}
