namespace Messenger.Protocol.Contracts;

/// <summary>Machine-readable reasons carried by <see cref="Response"/> and <see cref="SessionEnded"/>.</summary>
public static class Reasons
{
    public const string UnknownUser = "unknown_user";
    public const string WrongPassword = "wrong_password";
    public const string LockedOut = "locked_out";
    public const string StillLockedOut = "still_locked_out";
    public const string AlreadyLoggedIn = "already_logged_in";
    public const string BadResumeToken = "bad_resume_token";
    public const string NotLoggedIn = "not_logged_in";
    public const string Self = "self";
    public const string EmptyText = "empty_text";
    public const string TextTooLong = "text_too_long";
    public const string BlockedByRecipient = "blocked_by_recipient";
    public const string MailboxFull = "mailbox_full";
    public const string RateLimited = "rate_limited";
    public const string AlreadyBlocked = "already_blocked";
    public const string NotBlocked = "not_blocked";
    public const string Offline = "offline";
    public const string BadRequest = "bad_request";
    public const string ProtocolError = "protocol_error";
    public const string ServerError = "server_error";
    public const string NotGranted = "not_granted";
    public const string BadRoomName = "bad_room_name";
    public const string UnknownRoom = "unknown_room";
    public const string NotAMember = "not_a_member";
    public const string AlreadyMember = "already_member";
    public const string NotOwner = "not_owner";
    public const string PrivateRoom = "private_room";
    public const string RoomFull = "room_full";
    public const string TooManyRooms = "too_many_rooms";
    public const string Unsupported = "unsupported";
    public const string NoHistory = "no_history";

    /// <summary>An unknown name on a server that allows sign-up: the client may offer to create the account.</summary>
    public const string NoAccount = "no_account";
    public const string RegistrationClosed = "registration_closed";
    public const string NameTaken = "name_taken";
    public const string GuestsClosed = "guests_closed";

    /// <summary>Something a guest may not do (store, block), or a guest who has left.</summary>
    public const string GuestNotAllowed = "guest_not_allowed";
    public const string GuestGone = "guest_gone";

    /// <summary>A private-session request to this user is already waiting for an answer.</summary>
    public const string AlreadyAsked = "already_asked";
    public const string NoRequest = "no_request";

    public const string Timeout = "timeout";
    public const string Kicked = "kicked";
    public const string Shutdown = "shutdown";
    public const string Replaced = "replaced";
    public const string SlowConsumer = "slow_consumer";
    public const string LoggedOut = "logged_out";

    /// <summary>A cluster node that lost its lease (no heartbeat for DeadAfter) closed the connection; reconnecting continues.</summary>
    public const string Fenced = "fenced";
}
