using System.Net;
using Messenger.Protocol.Framing;
using Microsoft.Extensions.Options;

namespace Messenger.Server.Hosting;

/// <summary>
/// Checks every setting when the host starts (ValidateOnStart), so a bad value in config/server.json or the environment
/// stops the server at once with one line per problem, named as the operator wrote it (Server:SweepInterval), instead
/// of surfacing later as a timer that throws or a queue that cuts every client.
/// </summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            problems.Add($"Server:Port must be from 0 to 65535 (got {options.Port}).");
        }
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            problems.Add($"Server:ListenAddress must be an IP address such as 127.0.0.1 or :: (got '{options.ListenAddress}').");
        }
        if (options.Web is { } web)
        {
            // The web front end's address, and plain HTTP only on loopback (Web/WebAddress).
            if (!System.Net.IPEndPoint.TryParse(web, out var endPoint) || !web.Contains(':', StringComparison.Ordinal))
            {
                problems.Add($"Server:Web must be ADDRESS:PORT such as 127.0.0.1:8080 (got '{web}').");
            }
            else if (Web.WebAddress.Refusal(options, endPoint) is { } refusal)
            {
                problems.Add("Server:Web: " + refusal);
            }
        }
        RequireText(problems, nameof(options.CredentialsPath), options.CredentialsPath);
        RequireText(problems, nameof(options.DataDirectory), options.DataDirectory);
        RequirePositive(problems, "Server", [
            (nameof(options.BlockDuration), options.BlockDuration), (nameof(options.IdleTimeout), options.IdleTimeout),
            (nameof(options.SweepInterval), options.SweepInterval), (nameof(options.TlsHandshakeTimeout), options.TlsHandshakeTimeout),
            (nameof(options.LoginTimeout), options.LoginTimeout), (nameof(options.HolderQueryTimeout), options.HolderQueryTimeout),
            (nameof(options.PrivateConsentTimeout), options.PrivateConsentTimeout),
            (nameof(options.DirectHistoryRetention), options.DirectHistoryRetention),
        ]);
        if (options.Cluster is { } cluster)
        {
            RequirePositive(problems, "Server:Cluster", [
                (nameof(cluster.Heartbeat), cluster.Heartbeat), (nameof(cluster.DeadAfter), cluster.DeadAfter),
                (nameof(cluster.TakeoverTimeout), cluster.TakeoverTimeout), (nameof(cluster.PollInterval), cluster.PollInterval),
            ]);
            RequireNotNegative(problems, "Server:Cluster", nameof(cluster.WriteGather), cluster.WriteGather);
        }
        RequireNotNegative(problems, "Server", nameof(options.ResumeGracePeriod), options.ResumeGracePeriod);
        foreach (var (setting, value) in new (string, int)[]
        {
            (nameof(options.MaxMessagesPerSecond), options.MaxMessagesPerSecond),
            (nameof(options.MaxStoredMessagesPerRecipient), options.MaxStoredMessagesPerRecipient),
            (nameof(options.MaxUnacknowledgedMessages), options.MaxUnacknowledgedMessages),
            (nameof(options.MaxUnacknowledgedBytes), options.MaxUnacknowledgedBytes),
            (nameof(options.MaxLoginAttemptsPerConnection), options.MaxLoginAttemptsPerConnection),
            (nameof(options.FailedLoginsPerAddressAndUserPerMinute), options.FailedLoginsPerAddressAndUserPerMinute),
            (nameof(options.LoginAttemptsPerAddressPerMinute), options.LoginAttemptsPerAddressPerMinute),
            (nameof(options.PrivateRequestsPerMinute), options.PrivateRequestsPerMinute),
            (nameof(options.MaxRoomsPerUser), options.MaxRoomsPerUser),
            (nameof(options.MaxMembersPerRoom), options.MaxMembersPerRoom),
            (nameof(options.MaxRoomMessagesPerSecond), options.MaxRoomMessagesPerSecond),
            (nameof(options.DirectHistoryMaxPerConversation), options.DirectHistoryMaxPerConversation),
        })
        {
            if (value <= 0)
            {
                problems.Add($"Server:{setting} must be greater than 0 (got {value}).");
            }
        }
        // A queue smaller than one control frame would cut a client for an ordinary answer.
        if (options.OutboundQueueBytes < ProtocolLimits.MaxControlPayloadLength)
        {
            problems.Add($"Server:OutboundQueueBytes must be at least {ProtocolLimits.MaxControlPayloadLength} (one control frame; got {options.OutboundQueueBytes}).");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void RequirePositive(List<string> problems, string section, (string Setting, TimeSpan Value)[] settings)
    {
        foreach (var (setting, value) in settings)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{section}:{setting} must be a positive time span such as 00:00:30 (got {value}).");
            }
        }
    }

    /// <summary>For time spans where zero has a meaning (log out at once, never gather).</summary>
    private static void RequireNotNegative(List<string> problems, string section, string setting, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            problems.Add($"{section}:{setting} must not be negative (got {value}).");
        }
    }

    private static void RequireText(List<string> problems, string setting, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"Server:{setting} must not be empty.");
        }
    }
}
