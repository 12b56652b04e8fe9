using Microsoft.AspNetCore.Http;

namespace Messenger.Server.Web;

/// <summary>Checks shared by the dashboard and the WebSocket: is this request from a page of this very site?</summary>
public static class WebRequestChecks
{
    /// <summary>
    /// True when the browser says the request comes from this server's own pages (Origin, else Sec-Fetch-Site).
    /// A POST without either is refused: every browser that could carry our cookie sends one of them.
    /// </summary>
    public static bool SameOrigin(HttpRequest request, IReadOnlyCollection<string>? alsoAllowed = null)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
                || (alsoAllowed?.Contains(origin, StringComparer.OrdinalIgnoreCase) ?? false);
        }
        return request.Headers["Sec-Fetch-Site"].ToString() is "same-origin";
    }
}
