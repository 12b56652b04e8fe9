using Messenger.Server.Cluster;
using Messenger.Server.Storage.Postgres;
using Messenger.Server.Tests.Storage.Contract;

namespace Messenger.Server.Tests.Storage.Postgres;

/// <summary>Guest numbers come from one PostgreSQL sequence, so nodes (here: connections) asking at once never get the same one.</summary>
[TestClass]
public sealed class PostgresGuestNumbersTests : StoreContract<PostgresBackend>
{
    [TestMethod]
    public async Task FortyConcurrentAsksOnPooledConnectionsGetFortyDistinctNumbers()
    {
        var record = new PostgresClusterRecord(((PostgresStore)Store).DataSource);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => record.NextGuestNumberAsync()));

        Assert.HasCount(40, numbers.Distinct());
        Assert.IsTrue(numbers.All(n => n > 0));
    }
}
