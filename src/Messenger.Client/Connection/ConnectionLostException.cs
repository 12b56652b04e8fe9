namespace Messenger.Client.Connection;

/// <summary>The link to the server ended before a request was answered.</summary>
public sealed class ConnectionLostException : Exception
{
    public ConnectionLostException()
        : base("The connection to the server was lost.")
    {
    }

    public ConnectionLostException(string message)
        : base(message)
    {
    }

    public ConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
