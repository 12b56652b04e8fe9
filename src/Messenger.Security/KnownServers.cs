using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Messenger.Security;

/// <summary>
/// Trust-on-first-use pins of server keys, like SSH's known_hosts: the file <c>known_servers</c> in the client's
/// state directory, one <c>&lt;host&gt;:&lt;port&gt; sha256-spki &lt;fingerprint&gt;</c> line per server. Comment
/// lines and lines of other kinds are kept untouched when the file is rewritten.
/// </summary>
/// <remarks>
/// The file is read on every call (no cache), so several clients sharing a state directory see each other's
/// pins; two of them pinning at the same instant may lose one pin, which is then simply taken again on next use.
/// </remarks>
public sealed class KnownServers
{
    public const string FileName = "known_servers";
    public const string KeyType = "sha256-spki";

    private const string Header = "# MessengerSuite pinned server keys: <host>:<port> sha256-spki <SHA-256 of the SubjectPublicKeyInfo>";

    public KnownServers(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        FilePath = Path.Combine(stateDirectory, FileName);
    }

    public string FilePath { get; }

    /// <summary>The <c>host:port</c> key: host in lower case (DNS names are case-insensitive), IPv6 in brackets.</summary>
    public static string FormatEndpoint(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (bare.Length == 0 || bare.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '#' or '[' or ']'))
        {
            throw new ArgumentException("A host name cannot be empty or contain whitespace, '#' or brackets.", nameof(host));
        }
        bare = bare.ToLowerInvariant();
        // One spelling per IPv6 address ("::1", not "0:0:0:0:0:0:0:1"), so a pin is found however the host was typed.
        if (bare.Contains(':', StringComparison.Ordinal)
            && IPAddress.TryParse(bare, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}");
        }
        if (bare.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("Only an IPv6 address may contain ':' in a host.", nameof(host));
        }
        return string.Create(CultureInfo.InvariantCulture, $"{bare}:{port}");
    }

    /// <summary>The pinned SPKI fingerprint of <paramref name="host"/>:<paramref name="port"/>, or null.</summary>
    /// <exception cref="InvalidDataException">The server's line is damaged: safer to stop than to re-pin silently.</exception>
    public string? Lookup(string host, int port)
    {
        var endpoint = FormatEndpoint(host, port);
        var lines = ReadLines();
        for (var i = 0; i < lines.Count; i++)
        {
            if (TryReadEntry(lines[i], out var lineEndpoint, out var type, out var value)
                && string.Equals(lineEndpoint, endpoint, StringComparison.OrdinalIgnoreCase)
                && type == KeyType)
            {
                return Fingerprints.TryNormalize(value, out var fingerprint)
                    ? fingerprint
                    : throw new InvalidDataException($"Line {i + 1} of '{FilePath}' has a damaged fingerprint for {endpoint}; fix or remove that line.");
            }
        }
        return null;
    }

    /// <summary>Pins <paramref name="fingerprint"/> for the server, replacing any earlier pin (atomic rewrite, mode 0600).</summary>
    public void Pin(string host, int port, string fingerprint)
    {
        var endpoint = FormatEndpoint(host, port);
        if (!Fingerprints.TryNormalize(fingerprint, out var normalized))
        {
            throw new ArgumentException("Not a SHA-256 fingerprint.", nameof(fingerprint));
        }
        var lines = ReadLines();
        lines.RemoveAll(line => IsEntryFor(line, endpoint));
        if (lines.Count == 0)
        {
            lines.Add(Header);
        }
        lines.Add($"{endpoint} {KeyType} {normalized}");
        Write(lines);
    }

    /// <summary>Removes the pin of the server; false when there was none.</summary>
    public bool Forget(string host, int port)
    {
        var endpoint = FormatEndpoint(host, port);
        var lines = ReadLines();
        if (lines.RemoveAll(line => IsEntryFor(line, endpoint)) == 0)
        {
            return false;
        }
        Write(lines);
        return true;
    }

    /// <summary>Compares a presented fingerprint with the pin, pinning it when there is none yet.</summary>
    public PinCheck Check(string host, int port, string actualFingerprint)
    {
        var endpoint = FormatEndpoint(host, port);
        if (!Fingerprints.TryNormalize(actualFingerprint, out var actual))
        {
            throw new ArgumentException("Not a SHA-256 fingerprint.", nameof(actualFingerprint));
        }
        var expected = Lookup(host, port);
        if (expected is null)
        {
            Pin(host, port, actual);
            return new PinCheck(PinStatus.FirstUse, endpoint, null, actual);
        }
        return Fingerprints.AreEqual(expected, actual)
            ? new PinCheck(PinStatus.Match, endpoint, expected, actual)
            : new PinCheck(PinStatus.Mismatch, endpoint, expected, actual);
    }

    private static bool TryReadEntry(string line, out string endpoint, out string type, out string value)
    {
        endpoint = type = value = "";
        var text = line.Trim();
        if (text.Length == 0 || text[0] == '#')
        {
            return false;
        }
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2)
        {
            return false;
        }
        endpoint = fields[0];
        type = fields[1];
        value = fields.Length == 3 ? fields[2] : "";
        return true;
    }

    private static bool IsEntryFor(string line, string endpoint)
        => TryReadEntry(line, out var lineEndpoint, out _, out _) && string.Equals(lineEndpoint, endpoint, StringComparison.OrdinalIgnoreCase);

    private List<string> ReadLines()
    {
        try
        {
            return [.. File.ReadAllLines(FilePath, Encoding.UTF8)];
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    private void Write(List<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }
        SecureFile.WriteAtomically(FilePath, Encoding.UTF8.GetBytes(text.ToString()), overwrite: true);
    }
}
