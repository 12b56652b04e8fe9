using Messenger.Server.Storage.Postgres;
using Messenger.Server.Tests.Storage.Contract;
using Npgsql;

namespace Messenger.Server.Tests.Storage.Postgres;

/// <summary>
/// Direct history's PostgreSQL layout: two B-trees per row (the conversation's key and the resend key), and a table
/// of the first layout (four B-trees, locale-compared names) rebuilt in place when a node starts.
/// </summary>
[TestClass]
public sealed class PostgresDirectHistoryLayoutTests : StoreContract<PostgresBackend>
{
    private const string FirstLayout = """
        DROP TABLE direct_history;
        CREATE TABLE direct_history (
            id          bigserial PRIMARY KEY,
            user_low    text   NOT NULL,
            user_high   text   NOT NULL,
            sender      text   NOT NULL,
            message_id  bigint NOT NULL,
            text        bytea  NOT NULL,
            sent_at_ms  bigint NOT NULL,
            UNIQUE (sender, message_id, user_low, user_high)
        );
        CREATE INDEX direct_history_by_conversation ON direct_history (user_low, user_high, id);
        CREATE INDEX direct_history_by_time ON direct_history (sent_at_ms);
        """;

    [TestMethod]
    public async Task EachDirectHistoryRowEntersTwoIndexes()
    {
        CollectionAssert.AreEquivalent(new[] { "direct_history_pkey", "direct_history_sender_message_id_user_low_user_high_key" },
            await IndexesAsync());
    }

    [TestMethod]
    public async Task AHistoryOfTheFirstLayoutIsRebuiltInPlaceKeepingItsRowsAndItsResendKey()
    {
        await ExecuteAsync(FirstLayout);
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "one", 1), Message("bob", "alice", 1, "two", 2)]);

        var reopened = await ReopenAsync();
        await reopened.AppendDirectHistoryAsync([Message("bob", "alice", 1, "two", 2), Message("alice", "bob", 2, "three", 3)]);

        CollectionAssert.AreEqual(new[] { "one", "two", "three" }, (await reopened.LoadDirectHistoryAsync("bob", "alice", 10)).Select(m => m.Text).ToArray());
        Assert.HasCount(2, await IndexesAsync());
    }

    private async Task<string[]> IndexesAsync()
    {
        await using var command = ((PostgresStore)Store).DataSource.CreateCommand(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'direct_history'");
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return [.. names];
    }

    private async Task ExecuteAsync(string sql)
    {
        await using NpgsqlCommand command = ((PostgresStore)Store).DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
