using Messenger.Server.Hosting;
using Messenger.Server.Web;

namespace Messenger.WebTests;

[TestClass]
public sealed class WebAddressTests
{
    [TestMethod]
    public void PlainHttpIsAllowedOnLoopbackOnly()
    {
        var plain = new ServerOptions();
        Assert.IsNull(WebAddress.Refusal(plain, WebAddress.Parse("127.0.0.1:8080")));
        Assert.IsNull(WebAddress.Refusal(plain, WebAddress.Parse("[::1]:8080")));
        StringAssert.Contains(WebAddress.Refusal(plain, WebAddress.Parse("0.0.0.0:8080")), "--web-insecure");
        Assert.IsNull(WebAddress.Refusal(plain with { WebInsecure = true }, WebAddress.Parse("0.0.0.0:8080")));
        Assert.IsNull(WebAddress.Refusal(plain with { WebCertificatePath = "web.p12" }, WebAddress.Parse("192.168.1.5:443")));
    }

    [TestMethod]
    public void AnAddressWithoutAPortIsRefusedWithAnExample()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => WebAddress.Parse("127.0.0.1"));
        StringAssert.Contains(error.Message, "127.0.0.1:8080");
    }
}
