using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Messenger.Server.Web;

/// <summary>
/// The browser client and the dashboard's static files, embedded in the server binary (Web/wwwroot, logical names
/// "wwwroot/..."): nothing is fetched from a CDN or downloaded at run time, so the page works on a LAN without internet.
/// </summary>
public sealed class EmbeddedAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, byte[]> files;

    public EmbeddedAssets()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        files = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[Prefix.Length..], name => Read(assembly, name), StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => files.Keys;

    /// <summary>Writes the file at <paramref name="path"/> ("app.js"), or 404.</summary>
    public async Task ServeAsync(HttpContext context, string path)
    {
        if (!files.TryGetValue(path, out var bytes) || !ContentTypes.TryGetValue(Path.GetExtension(path), out var type))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = type;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
