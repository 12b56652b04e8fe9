using Messenger.Server.Storage.Postgres;
using Npgsql;

namespace Messenger.Server.Tests.Storage.Postgres;

/// <summary>The server's connection string asks Npgsql to prepare the hot statements, unless the operator chose otherwise.</summary>
[TestClass]
public sealed class PostgresPreparationTests
{
    [TestMethod]
    public void AConnectionStringWithoutPreparationSettingsGetsAutomaticPreparation()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresStore.WithPreparedStatements("Host=127.0.0.1;Username=mx;Database=messenger"));

        Assert.AreEqual(64, built.MaxAutoPrepare);
        Assert.AreEqual(2, built.AutoPrepareMinUsages);
        Assert.AreEqual("messenger", built.Database);
    }

    [TestMethod]
    public void TheOperatorsOwnPreparationSettingsAreKept()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresStore.WithPreparedStatements("Host=h;Max Auto Prepare=0;Auto Prepare Min Usages=9"));

        Assert.AreEqual(0, built.MaxAutoPrepare);
        Assert.AreEqual(9, built.AutoPrepareMinUsages);
    }
}
