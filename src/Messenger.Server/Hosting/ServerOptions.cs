using System.Net;
using Messenger.Server.Cluster;

namespace Messenger.Server.Hosting;

/// <summary>
/// Every server setting with its default. Bound from config/server.json, then MESSENGER_SERVER__* environment
/// variables, then command-line options; the positional arguments (port, blocktime, timeout) always win.
/// Setters, not init: the configuration binding source generator (needed by the Native AOT build) silently skips
/// init-only properties (dotnet/runtime#107856); the program treats a built instance as read-only and copies with `with`.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>TCP port to listen on (1..65535; 0 lets the system choose, which tests use).</summary>
    public int Port { get; set; }

    /// <summary>How long a user name stays locked after 3 wrong passwords in a row.</summary>
    public TimeSpan BlockDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A user who issues no valid command for this long is logged out.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>"::" listens on every interface, IPv4 and IPv6; tests and benchmarks use 127.0.0.1.</summary>
    public string ListenAddress { get; set; } = "::";

    public string CredentialsPath { get; set; } = "credentials.txt";

    /// <summary>Where the SQLite database (and, with TLS, the server's certificate) live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// When true, a user may create an account by logging in with an unknown name and asking to register (the
    /// client's confirmation, or `--register`); it is appended to the credentials file. An unknown name without that
    /// request is refused, so a typo never creates an account.
    /// </summary>
    public bool AllowRegistration { get; set; }

    /// <summary>
    /// When true, the name `guest` with an empty password logs in as `guest-&lt;n&gt;`: online messaging and private
    /// sessions only, nothing stored, limits counted per address. Off by default.
    /// </summary>
    public bool AllowGuests { get; set; }

    /// <summary>How long a private-session request waits for the answer of a user in `privatemode ask`.</summary>
    public TimeSpan PrivateConsentTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Private-session requests to users in `privatemode ask` one user may make per minute (repeats pester).</summary>
    public int PrivateRequestsPerMinute { get; set; } = 3;

    /// <summary>Messages and broadcasts one user may send per second (a burst of the same size is allowed).</summary>
    public int MaxMessagesPerSecond { get; set; } = 50;

    /// <summary>Offline messages kept for one recipient; past it the sender is told the mailbox is full.</summary>
    public int MaxStoredMessagesPerRecipient { get; set; } = 1000;

    /// <summary>
    /// Bytes of frames that may wait for one connection (4 MiB: about a thousand full-length messages, or four swarm
    /// manifests of 1 GiB files). A client that lets more pile up is disconnected as a slow consumer; what was in flight
    /// to it goes to its mailbox, and it gets it when it reconnects.
    /// </summary>
    public int OutboundQueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Messages sent to one connection and not yet acknowledged by its client, counted and in bytes of text. A client that
    /// reads but never acknowledges is past these a slow consumer too: disconnected, the messages kept in its mailbox.
    /// </summary>
    public int MaxUnacknowledgedMessages { get; set; } = 2000;

    public int MaxUnacknowledgedBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// When true, a client may ask peers to reach it at another address than the one its connection comes from (a NAT
    /// set-up). Even then only a unicast IP address is used, and loopback only for a connection over loopback.
    /// Off by default: users cannot point other users' clients at an address of their choosing.
    /// </summary>
    public bool AllowAdvertisedPeerHost { get; set; }

    /// <summary>A dropped connection's session waits this long for the client to resume before the user is logged out.</summary>
    public TimeSpan ResumeGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often timeouts and lockouts are checked. One timer for the whole server.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Plaintext TCP instead of TLS. Only for tests, benchmarks and trusted networks: clients must opt in too, and a
    /// mismatch is reported, never silently accepted.
    /// </summary>
    public bool Plaintext { get; set; }

    /// <summary>The server's certificate and key (PKCS#12). Default: server.p12 in the data directory, created on first start.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of an operator-supplied PKCS#12 file (the generated one has none; it is readable by its owner only).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A connection that has not finished the TLS handshake this long after connecting is closed.</summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public string ResolveCertificatePath() => CertificatePath ?? Path.Combine(DataDirectory, "server.p12");

    /// <summary>A connection that has not logged in this long after connecting (or after its last attempt) is closed.</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Login attempts one connection may make before it is closed (the per-user 3-strike lock is separate).</summary>
    public int MaxLoginAttemptsPerConnection { get; set; } = 10;

    /// <summary>
    /// Failed logins per (source IP address, user name) per minute, bursts of the same size. A guesser is slowed on the
    /// name it aims at (which also locks after 3 wrong passwords) without keeping other users at its address out.
    /// </summary>
    public int FailedLoginsPerAddressAndUserPerMinute { get; set; } = 10;

    /// <summary>
    /// Every login attempt per source IP address per minute (bursts of the same size): a ceiling far above what the
    /// users behind one NAT need, which bounds the password hashing one host can cause. Raise it for load tests.
    /// </summary>
    public int LoginAttemptsPerAddressPerMinute { get; set; } = 600;

    /// <summary>
    /// How long p2pDownload waits at most for online users to say whether they hold the file. Users without it answer at
    /// once; a holder answers when it has hashed the file (the first time, a few seconds per GiB); one that leaves
    /// counts as having answered.
    /// </summary>
    public TimeSpan HolderQueryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rooms one user may belong to at once.</summary>
    public int MaxRoomsPerUser { get; set; } = 100;

    /// <summary>Members one room may have.</summary>
    public int MaxMembersPerRoom { get; set; } = 5000;

    /// <summary>Messages one user may send to one room per second (a burst of the same size is allowed).</summary>
    public int MaxRoomMessagesPerSecond { get; set; } = 10;

    /// <summary>
    /// Keep direct messages as history (`history <user>`). Off, the server keeps a direct message only until it is
    /// delivered, as before rooms (rooms keep theirs either way): for teams that want no record of one-to-one talk, and
    /// for the heaviest one-to-one traffic, where history is one store insert per message (docs/BENCHMARKS.md, W1).
    /// </summary>
    public bool KeepDirectHistory { get; set; } = true;

    /// <summary>
    /// Take up compact frames for direct messages with clients that ask for them (docs/PROTOCOL.md §4.2). Off, the
    /// server neither confirms nor accepts them, so every client speaks JSON: readable in a packet capture, at about a
    /// fifth more CPU per message (docs/BENCHMARKS.md "Compact frames").
    /// </summary>
    public bool CompactFrames { get; set; } = true;

    /// <summary>Direct-message history older than this is deleted (checked hourly).</summary>
    public TimeSpan DirectHistoryRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Direct-message history kept per conversation (pair of users): the newest this many.</summary>
    public int DirectHistoryMaxPerConversation { get; set; } = 10_000;

    /// <summary>
    /// `address:port` of the web front end (browser client, WebSocket, /admin, /metrics); null (the default) serves no
    /// HTTP at all. Plain HTTP only on a loopback address unless <see cref="WebInsecure"/>; TLS with a web certificate.
    /// </summary>
    public string? Web { get; set; }

    /// <summary>Allows plain HTTP on a non-loopback address (a trusted LAN behind a TLS proxy, say). Off by default.</summary>
    public bool WebInsecure { get; set; }

    /// <summary>The web port's certificate: PKCS#12 (.p12/.pfx) or PEM (with <see cref="WebCertificateKeyPath"/>). None: plain HTTP.</summary>
    public string? WebCertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="WebCertificatePath"/> (not needed for PKCS#12 or a PEM holding both).</summary>
    public string? WebCertificateKeyPath { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key.</summary>
    public string? WebCertificatePassword { get; set; }

    /// <summary>Accounts that may use the operator dashboard (/admin). Empty: nobody.</summary>
    public IReadOnlyList<string> AdminUsers { get; set; } = [];

    /// <summary>Origins besides the web port's own that may open the WebSocket (e.g. "https://chat.example.org" behind a proxy).</summary>
    public IReadOnlyList<string> WebAllowedOrigins { get; set; } = [];
    /// <summary>Cluster mode (several nodes on PostgreSQL and Redis); null: the single embedded node on SQLite.</summary>
    public ClusterOptions? Cluster { get; set; }

    /// <summary>Cluster mode on: PostgreSQL and Redis are both set.</summary>
    public bool IsCluster => Cluster is { PostgreSql.Length: > 0, Redis.Length: > 0 };

    public IPAddress ParseListenAddress() =>
        IPAddress.TryParse(ListenAddress, out var address)
            ? address
            : throw new ArgumentException($"ListenAddress '{ListenAddress}' is not an IP address.");
}
