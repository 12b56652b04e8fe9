using System.Net;
using System.Net.Sockets;

namespace Messenger.Server.Sessions;

/// <summary>
/// Which address other clients are given to reach a user's client (private sessions, swarm owner lists). By default
/// the one its connection comes from: a user must not be able to point other users' clients at an address of its
/// choosing (a port on someone else's host, a wildcard, a multicast group). With <c>AllowAdvertisedPeerHost</c> (for
/// clients behind a NAT whose connection address is not where peers can reach them), an advertised address is used
/// when it is an IP address that names one host, and loopback only when the connection itself came over loopback.
/// </summary>
public static class PeerAddressPolicy
{
    /// <summary>The host to hand to peers (null: the connection's address), and why an advertised one was not used.</summary>
    public static (string? Host, RefusedPeerHost? Refused) Choose(string? advertised, string connectionAddress, bool allowAdvertised)
    {
        if (string.IsNullOrWhiteSpace(advertised) || advertised == connectionAddress)
        {
            return (null, null);
        }
        var shown = advertised.Length > 64 ? advertised[..64] + "…" : advertised;
        if (!allowAdvertised)
        {
            return (null, new RefusedPeerHost(shown, "this server gives peers the address your connection comes from."));
        }
        // IPAddress.TryParse also takes shorthand such as "1" or "0x7f.1": an IPv4 address must be written out in full.
        if (!IPAddress.TryParse(advertised, out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && address.ToString() != advertised))
        {
            return (null, new RefusedPeerHost(shown, "it is not an IP address."));
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (WhyNotUnicast(address) is { } reason)
        {
            return (null, new RefusedPeerHost(shown, reason));
        }
        if (IPAddress.IsLoopback(address) && !(IPAddress.TryParse(connectionAddress, out var from) && IPAddress.IsLoopback(from)))
        {
            return (null, new RefusedPeerHost(shown, "a loopback address is only used for a connection that comes over loopback."));
        }
        return (address.ToString(), null);
    }

    private static string? WhyNotUnicast(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "a wildcard address names no host.";
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            if (bytes[0] >= 224 && bytes[0] <= 239)
            {
                return "a multicast address names no single host.";
            }
            if (bytes.All(b => b == 255) || bytes[0] >= 240)
            {
                return "a broadcast or reserved address names no single host.";
            }
            if (bytes[0] == 0)
            {
                return "a wildcard address names no host.";
            }
            return null;
        }
        return address.IsIPv6Multicast ? "a multicast address names no single host." : null;
    }
}

/// <summary>An advertised peer address that was not used, and why (told to the user at login).</summary>
public sealed record RefusedPeerHost(string Host, string Reason)
{
    public override string ToString() => Host;
}
