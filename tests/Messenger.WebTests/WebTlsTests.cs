using System.Net;
using Messenger.IntegrationTests.Harness;

namespace Messenger.WebTests;

/// <summary>
/// The web port under TLS from the operator's certificate (made at run time, trusted by exactly this client), the
/// dashboard cookie's flags with and without TLS, and the refusal of plain HTTP off loopback.
/// </summary>
[TestClass]
public sealed class WebTlsTests
{
    private static Task<TestServer> StartWithCertificateAsync(ThrowawayCertificate certificate, string format) =>
        TestServer.StartAsync(o => certificate.Configure(o with { Web = "127.0.0.1:0", AdminUsers = ["alice"] }, format));

    [TestMethod]
    [DataRow("pkcs12")]
    [DataRow("pem")]
    [DataRow("encrypted-pem")]
    public async Task TheWebPortServesThePageOverHttpsWithTheConfiguredCertificate(string format)
    {
        using var certificate = new ThrowawayCertificate();
        await using var server = await StartWithCertificateAsync(certificate, format);
        var site = WebServerFixture.Address(server);
        Assert.AreEqual(Uri.UriSchemeHttps, site.Scheme);
        using var https = new AdminHttp(site, certificate.Certificate);

        using var page = await https.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.OK, page.StatusCode);
        StringAssert.Contains(await page.Content.ReadAsStringAsync(), "<script type=\"module\"");
        Assert.AreEqual(certificate.Certificate.Thumbprint, https.Presented, "the configured certificate, not another one");
    }

    [TestMethod]
    public async Task PlainHttpToTheTlsPortGetsNoPage()
    {
        using var certificate = new ThrowawayCertificate();
        await using var server = await StartWithCertificateAsync(certificate, "pkcs12");
        var plain = new UriBuilder(WebServerFixture.Address(server)) { Scheme = Uri.UriSchemeHttp }.Uri;
        using var http = new HttpClient { BaseAddress = plain };

        // Kestrel answers a plain request on a TLS port with 400 (or drops it); either way no page is served in clear.
        try
        {
            using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // The connection was closed: no page.
        }
    }

    [TestMethod]
    public async Task UnderTlsTheAdminCookieIsSecureHttpOnlyAndSameSiteStrict()
    {
        using var certificate = new ThrowawayCertificate();
        await using var server = await StartWithCertificateAsync(certificate, "pkcs12");
        using var admin = new AdminHttp(WebServerFixture.Address(server), certificate.Certificate);

        using var login = await admin.LoginAsync("alice", "alice-pass");

        Assert.AreEqual(HttpStatusCode.OK, login.StatusCode);
        var flags = CookieFlags(login);
        CollectionAssert.IsSubsetOf(new[] { "secure", "httponly", "samesite=strict", "path=/admin" }, flags);
        // The Secure cookie comes back over HTTPS: the next request is signed in (an unsigned one gets 401 and throws).
        Assert.AreEqual(0, (await admin.OverviewAsync()).GetProperty("online").GetArrayLength());
    }

    [TestMethod]
    public async Task OnPlainLoopbackHttpTheAdminCookieIsHttpOnlyAndStrictButNotSecure()
    {
        // A Secure cookie would never come back over http://127.0.0.1, and the operator could not stay signed in.
        await using var server = await WebServerFixture.StartAsync();
        using var admin = new AdminHttp(WebServerFixture.Address(server));

        using var login = await admin.LoginAsync("alice", "alice-pass");

        Assert.AreEqual(HttpStatusCode.OK, login.StatusCode);
        var flags = CookieFlags(login);
        CollectionAssert.IsSubsetOf(new[] { "httponly", "samesite=strict" }, flags);
        CollectionAssert.DoesNotContain(flags, "secure");
    }

    [TestMethod]
    public async Task TheServerRefusesToStartWithPlainHttpOnANonLoopbackAddressAndSaysHowToFixIt()
    {
        var error = await Assert.ThrowsExactlyAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => TestServer.StartAsync(o => o with { Web = "0.0.0.0:0" }));

        StringAssert.Contains(error.Message, "Refusing plain HTTP on 0.0.0.0:0");
        StringAssert.Contains(error.Message, "--web-insecure");
    }

    /// <summary>The attributes of the one Set-Cookie header, lower-cased (the session id itself left out).</summary>
    private static List<string> CookieFlags(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single().Split(';').Skip(1).Select(part => part.Trim().ToLowerInvariant()).ToList();
}
