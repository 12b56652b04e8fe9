using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Messenger.WebTests;

/// <summary>
/// The dashboard's JSON API driven over HTTP (no browser): a cookie jar, the site's own Origin on every request, and
/// the CSRF token from the login. Under TLS it trusts exactly the test's throwaway certificate.
/// </summary>
public sealed class AdminHttp : IDisposable
{
    private readonly HttpClient http;

    public AdminHttp(Uri site, System.Security.Cryptography.X509Certificates.X509Certificate2? trusted = null)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        if (trusted is not null)
        {
            handler.ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
            {
                Presented = presented?.Thumbprint;
                return presented?.Thumbprint == trusted.Thumbprint;
            };
        }
        http = new HttpClient(handler) { BaseAddress = site };
        Origin = site.GetLeftPart(UriPartial.Authority);
    }

    public string Origin { get; }

    /// <summary>The thumbprint of the certificate the server presented (TLS only).</summary>
    public string? Presented { get; private set; }

    public string? Csrf { get; private set; }

    public HttpClient Client => http;

    /// <summary>Signs in; the answer's Set-Cookie header is left for the test to read.</summary>
    public async Task<HttpResponseMessage> LoginAsync(string user, string password)
    {
        using var login = new HttpRequestMessage(HttpMethod.Post, "/admin/api/login") { Content = JsonContent.Create(new { user, password }) };
        login.Headers.Add("Origin", Origin);
        var response = await http.SendAsync(login);
        if (response.IsSuccessStatusCode)
        {
            Csrf = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["csrf"];
        }
        return response;
    }

    /// <summary>Posts a dashboard action from <paramref name="origin"/> (default: the site's own) with <paramref name="token"/>.</summary>
    public async Task<HttpStatusCode> ActAsync(string action, object form, string? origin = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/api/{action}") { Content = JsonContent.Create(form) };
        request.Headers.Add("Origin", origin ?? Origin);
        if (token is not null)
        {
            request.Headers.Add(Server.Web.AdminSessions.CsrfHeader, token);
        }
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    public async Task<JsonElement> OverviewAsync() =>
        await http.GetFromJsonAsync<JsonElement>(new Uri("/admin/api/overview", UriKind.Relative));

    public void Dispose() => http.Dispose();
}
