namespace Messenger.Server.Auth;

public enum LoginOutcome
{
    Accepted,
    UnknownUser,
    WrongPassword,

    /// <summary>This attempt was the third wrong password in a row: the user name is locked from now on.</summary>
    LockedOut,

    /// <summary>The user name was already locked; the attempt was neither checked nor counted.</summary>
    StillLockedOut,

    /// <summary>The user asked to register an unknown name, and the account was created (the login goes on).</summary>
    Registered,

    /// <summary>Refused before the password was checked (too long, rate limited, unknown name, sign-up closed) or without a verdict (the store failed).</summary>
    Refused,
}
