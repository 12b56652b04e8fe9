using Messenger.Server.Cluster;
using StackExchange.Redis;

namespace Messenger.IntegrationTests.Cluster;

/// <summary>
/// The bus's reader waits in Redis (<c>XREAD ... BLOCK</c>) instead of on a PUBLISHed wake-up: an entry added while it
/// waits is its answer at once, and it comes back empty after its block time. Both reply shapes are read (RESP3, which
/// StackExchange.Redis speaks to Redis 6+, answers a map; RESP2 an array of pairs).
/// </summary>
[TestClass]
[TestCategory("Cluster")]
public sealed class BlockingStreamReadTests
{
    [TestMethod]
    [DataRow("resp3")]
    [DataRow("resp2")]
    public async Task AReadWaitingOnTwoStreamsGetsTheEntryAddedToOneWhileItWaitsAndNothingAfterItsBlockTime(string protocol)
    {
        RedisProcess.RequireInstalled();
        await using var redis = await RedisProcess.StartAsync();
        await using var reads = await ConnectionMultiplexer.ConnectAsync($"{redis.Endpoint},protocol={protocol}");
        await using var writes = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        byte[] payload = [0, 1, 255, 0];

        // Blocks far longer than the test waits: only the entry can answer it in time.
        var waiting = BlockingStreamRead.ReadAsync(reads.GetDatabase(), [new StreamPosition("t:in", "0-0"), new StreamPosition("t:events", "0-0")], 16,
            TimeSpan.FromSeconds(4));
        var added = await writes.GetDatabase().StreamAddAsync("t:events", "b", payload);
        var streams = await waiting.WaitAsync(TimeSpan.FromSeconds(3));

        var (key, entries) = streams.Single();
        Assert.AreEqual("t:events", (string)key!);
        Assert.AreEqual(added, entries.Single().Id);
        CollectionAssert.AreEqual(payload, (byte[])entries.Single().Values.Single().Value!);
        Assert.IsEmpty(await BlockingStreamRead.ReadAsync(reads.GetDatabase(), [new StreamPosition("t:in", "0-0"), new StreamPosition("t:events", added)], 16,
            TimeSpan.FromMilliseconds(50)));
    }
}
