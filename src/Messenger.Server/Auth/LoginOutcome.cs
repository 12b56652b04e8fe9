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
}
