using System.Security.Cryptography.X509Certificates;
using Messenger.Security;

namespace Messenger.Client.Connection;

/// <summary>
/// Decides whether the server's certificate is the one we expect, like SSH's known_hosts: the SHA-256 of its public
/// key (SPKI) is pinned per host and port on first use, or up front with --trust; a different key is refused with
/// both fingerprints and how to forget the old one. CA validation is not used: the pin is the trust.
/// </summary>
public sealed class ServerTrust(string stateDirectory, string host, int port, string? trustedFingerprint)
{
    private readonly KnownServers knownServers = new(stateDirectory);

    public string KnownServersPath => knownServers.FilePath;

    /// <summary>Checks the presented certificate; returns a line to show the user on first use, else null.</summary>
    public string? Verify(X509Certificate2 certificate)
    {
        var actual = Fingerprints.SpkiSha256(certificate);
        if (trustedFingerprint is not null)
        {
            if (!Fingerprints.TryNormalize(trustedFingerprint, out var trusted) || !Fingerprints.AreEqual(trusted, actual))
            {
                throw new ServerIdentityException(
                    $"The server at {KnownServers.FormatEndpoint(host, port)} does not have the key given with --trust.\n" +
                    $"  trusted:   {trustedFingerprint}\n  presented: {actual}\nRefusing to connect.");
            }
            if (knownServers.Lookup(host, port) is not { } pinned || !Fingerprints.AreEqual(pinned, actual))
            {
                knownServers.Pin(host, port, actual);
            }
            return null;
        }
        var check = knownServers.Check(host, port, actual);
        return check.Status switch
        {
            PinStatus.FirstUse => $"First connection to {check.Endpoint}: pinned its key (SPKI SHA-256 {actual}) in {knownServers.FilePath}.",
            PinStatus.Match => null,
            _ => throw new ServerIdentityException(
                $"WARNING: the server at {check.Endpoint} presented a different key than the one pinned for it.\n" +
                $"  pinned:    {check.Expected}\n  presented: {actual}\n" +
                "Someone may be impersonating the server. If its key was changed on purpose, forget the old one with\n" +
                $"  client {host} {port} --forget\n(or remove its line from {knownServers.FilePath}), then connect again."),
        };
    }

    public bool Forget() => knownServers.Forget(host, port);
}
