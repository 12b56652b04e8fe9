using System.Net;
using Messenger.Server.Hosting;

namespace Messenger.Server.Web;

/// <summary>
/// Where the web front end listens, and whether it may: plain HTTP only on a loopback address (the browser and the
/// server on one machine) unless the operator said `--web-insecure`; any other address needs a web certificate.
/// </summary>
public static class WebAddress
{
    public static IPEndPoint Parse(string text) =>
        IPEndPoint.TryParse(text, out var endPoint) && text.Contains(':', StringComparison.Ordinal)
            ? endPoint
            : throw new ArgumentException($"Web address '{text}' must be ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080.");

    /// <summary>Null when the settings may be used; otherwise the one-line reason to refuse starting.</summary>
    public static string? Refusal(ServerOptions options, IPEndPoint endPoint) =>
        options.WebCertificatePath is null && !IPAddress.IsLoopback(endPoint.Address) && !options.WebInsecure
            ? $"Refusing plain HTTP on {endPoint}: browsers would send passwords unencrypted. Configure WebCertificatePath " +
              "(PEM or PKCS#12), use a loopback address, or pass --web-insecure."
            : null;
}
