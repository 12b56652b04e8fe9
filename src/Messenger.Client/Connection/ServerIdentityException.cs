namespace Messenger.Client.Connection;

/// <summary>The server could not be trusted (a changed key, a wrong --trust fingerprint) or TLS failed: never retried.</summary>
public sealed class ServerIdentityException : Exception
{
    public ServerIdentityException()
    {
    }

    public ServerIdentityException(string message)
        : base(message)
    {
    }

    public ServerIdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
