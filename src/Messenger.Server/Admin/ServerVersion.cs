using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;

namespace Messenger.Server.Admin;

/// <summary><c>version</c>, for clients (a request) and the console: this server's version, its protocol version, and its key.</summary>
/// <param name="serverKey">SPKI SHA-256 of the server's key (null: none).</param>
public sealed class ServerVersion(string? serverKey) : IRequestRoutes
{
    /// <summary>Like every command the user types, it counts as activity for the idle timeout.</summary>
    public void Map(FrameDispatcher dispatcher) =>
        dispatcher.On(FrameType.Version, ProtocolJsonContext.Default.VersionRequest,
            (_, _) => ValueTask.FromResult(Reply.Frame(FrameType.VersionInfo, Describe(), ProtocolJsonContext.Default.VersionInfo)));

    public VersionInfo Describe() => new(ProductVersion.Of(typeof(ServerVersion).Assembly), FrameHeader.CurrentVersion, serverKey);

    /// <summary>The console's answer, one fact a line.</summary>
    public string ConsoleText()
    {
        var info = Describe();
        return $"""
            server   MessengerSuite {info.ServerVersion}
            protocol {info.ProtocolVersion}
            key      {info.ServerKey ?? "(none)"} (SPKI SHA-256; clients pin it)
            """;
    }
}
