using System.Net.Sockets;
using Messenger.Client.Connection;

namespace Messenger.Client.Tests.Connection;

/// <summary>The order in which a client tries a cluster's nodes.</summary>
[TestClass]
public sealed class ServerEndpointsTests
{
    [TestMethod]
    public async Task ANodeThatRefusesIsSkippedAndTheOneThatAnsweredIsTriedFirstNextTime()
    {
        var endpoints = new ServerEndpoints("127.0.0.1", 4401, ["127.0.0.1:4402", "127.0.0.1:4403"]);
        var tried = new List<int>();

        Assert.AreEqual(4402, await endpoints.ConnectAsync((_, port) => Attempt(tried, port, refused: port == 4401)));
        Assert.AreEqual(4402, await endpoints.ConnectAsync((_, port) => Attempt(tried, port, refused: false)));

        CollectionAssert.AreEqual(new[] { 4401, 4402, 4402 }, tried);
    }

    [TestMethod]
    public async Task AfterMovingOnTheNextConnectStartsFromTheFollowingNodeAndWrapsAround()
    {
        var endpoints = new ServerEndpoints("127.0.0.1", 4401, ["127.0.0.1:4402", "127.0.0.1:4403"]);
        var tried = new List<int>();

        endpoints.MoveOn(); // 4401 turned the client away
        Assert.AreEqual(4402, await endpoints.ConnectAsync((_, port) => Attempt(tried, port, refused: false)));
        endpoints.MoveOn();
        endpoints.MoveOn();
        Assert.AreEqual(4401, await endpoints.ConnectAsync((_, port) => Attempt(tried, port, refused: false)));

        CollectionAssert.AreEqual(new[] { 4402, 4401 }, tried);
    }

    [TestMethod]
    public async Task WithOneServerMovingOnKeepsTryingIt()
    {
        var endpoints = new ServerEndpoints("127.0.0.1", 4000, []);
        endpoints.MoveOn();

        Assert.AreEqual(4000, await endpoints.ConnectAsync((_, port) => Task.FromResult(port)));
    }

    private static Task<int> Attempt(List<int> tried, int port, bool refused)
    {
        tried.Add(port);
        return refused ? Task.FromException<int>(new SocketException((int)SocketError.ConnectionRefused)) : Task.FromResult(port);
    }
}
