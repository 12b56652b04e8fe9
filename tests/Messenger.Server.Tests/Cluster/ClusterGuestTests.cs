namespace Messenger.Server.Tests.Cluster;

/// <summary>Guests across nodes: each node names its guests from the shared record's numbers.</summary>
[TestClass]
public sealed class ClusterGuestTests
{
    [TestMethod]
    public async Task GuestsLoggingInOnThreeNodesAllGetDifferentNames()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");

        var names = new List<string>();
        foreach (var node in new[] { "n1", "n2", "n3", "n1", "n2" })
        {
            names.Add(await cluster.GuestAsync(node));
        }

        Assert.HasCount(5, names.Distinct(), string.Join(", ", names));
        Assert.IsTrue(names.All(n => n.StartsWith("guest-", StringComparison.Ordinal)));
    }
}
