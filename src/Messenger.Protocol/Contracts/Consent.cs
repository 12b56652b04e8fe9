namespace Messenger.Protocol.Contracts;

// Consent before a private session (issue 18). docs/PROTOCOL.md §4.7.

/// <summary>How a user takes private-session requests: <see cref="Open"/> opens them at once (the default), <see cref="Ask"/> asks first.</summary>
public enum PrivateMode
{
    Open = 1,
    Ask = 2,
}

/// <summary>Sets this user's private mode; without <paramref name="Mode"/> it only asks for the current one. Answered with a Response.</summary>
public sealed record PrivateModeRequest(PrivateMode? Mode = null);

/// <summary>Accepts or declines the pending private-session request from <paramref name="User"/>. Answered with a Response.</summary>
public sealed record AnswerPrivateRequest(string User, bool Accept);

/// <summary>
/// The answer to StartPrivate when the target asks first: the request is waiting for the target's answer for at most
/// <paramref name="TimeoutSeconds"/>; the outcome comes later as a <see cref="PrivateConsent"/> event.
/// </summary>
public sealed record PrivatePending(string User, int TimeoutSeconds);

/// <summary>Event to the target: <paramref name="From"/> asks for a private session; answer within <paramref name="TimeoutSeconds"/>.</summary>
public sealed record PrivateRequested(string From, int TimeoutSeconds);

public enum ConsentOutcome
{
    /// <summary>The target accepted: the event carries the grant, as StartPrivate would have.</summary>
    Accepted = 1,
    Declined = 2,

    /// <summary>The target did not answer in time.</summary>
    NoAnswer = 3,

    /// <summary>The target can no longer be asked (logged out, or blocked the requester meanwhile).</summary>
    Withdrawn = 4,
}

/// <summary>Event to the requester: how its pending request to <paramref name="User"/> ended; <paramref name="Grant"/> only when accepted.</summary>
public sealed record PrivateConsent(string User, ConsentOutcome Outcome, PrivateGrant? Grant = null);
