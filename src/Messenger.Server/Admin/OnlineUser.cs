namespace Messenger.Server.Admin;

/// <summary>A user the operator sees online: on this node (a guest, or reconnecting), or on another node of the cluster.</summary>
public sealed record OnlineUser(string Name, bool Guest = false, bool Reconnecting = false, string? Node = null)
{
    /// <summary>The marks after the name, as the console and the dashboard show them ("guest, on n2"); empty for none.</summary>
    public string Marks => string.Join(", ", new[] { Guest ? "guest" : null, Reconnecting ? "reconnecting" : null, Node is null ? null : $"on {Node}" }
        .OfType<string>());
}
