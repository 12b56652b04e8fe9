namespace Messenger.Client.Peers;

/// <summary>A private session could not be set up for a reason retrying will not fix (a bad ticket, the wrong key).</summary>
public sealed class PeerRefusedException : Exception
{
    public PeerRefusedException()
    {
    }

    public PeerRefusedException(string message)
        : base(message)
    {
    }

    public PeerRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
