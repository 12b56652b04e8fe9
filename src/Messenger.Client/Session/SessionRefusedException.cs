namespace Messenger.Client.Session;

/// <summary>The server refused to resume or re-open the session: retrying cannot help.</summary>
public sealed class SessionRefusedException : Exception
{
    public SessionRefusedException(string message, string reason)
        : base(message)
    {
        Reason = reason;
    }

    public SessionRefusedException()
    {
        Reason = "";
    }

    public SessionRefusedException(string message)
        : base(message)
    {
        Reason = "";
    }

    public SessionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "";
    }

    public string Reason { get; }
}
