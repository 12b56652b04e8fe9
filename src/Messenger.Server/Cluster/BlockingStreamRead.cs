using System.Globalization;
using StackExchange.Redis;

namespace Messenger.Server.Cluster;

/// <summary>
/// <c>XREAD COUNT n BLOCK ms STREAMS ...</c>: Redis answers as soon as an entry is added to one of the streams (or
/// empty after the block time), so a reader needs no wake-up message and no second read. StackExchange.Redis has no
/// blocking stream read (a blocked command would stall every command behind it on a shared connection), so this is
/// sent as a raw command on a connection that only the reader uses.
/// </summary>
internal static class BlockingStreamRead
{
    /// <summary>Reads up to <paramref name="count"/> entries per stream after each position, waiting up to <paramref name="block"/> for one.</summary>
    public static async Task<IReadOnlyList<(RedisKey Key, StreamEntry[] Entries)>> ReadAsync(IDatabase reader, StreamPosition[] positions, int count,
        TimeSpan block)
    {
        var arguments = new List<object>(5 + (positions.Length * 2))
        {
            "COUNT", count.ToString(CultureInfo.InvariantCulture), "BLOCK", ((long)block.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), "STREAMS",
        };
        arguments.AddRange(positions.Select(p => (object)(string)p.Key!));
        arguments.AddRange(positions.Select(p => (object)(string)p.Position!));
        var result = await reader.ExecuteAsync("XREAD", [.. arguments]);
        if (result.IsNull)
        {
            return []; // nothing arrived within the block time
        }
        var streams = (RedisResult[])result!;
        // RESP3 (which StackExchange.Redis speaks to Redis 6+) answers a map, seen here as key, entries, key, entries;
        // RESP2 an array of [key, entries] pairs.
        return result.Resp3Type == ResultType.Map
            ? [.. Enumerable.Range(0, streams.Length / 2).Select(i => Stream(streams[2 * i], streams[(2 * i) + 1]))]
            : [.. streams.Select(pair => (RedisResult[])pair!).Select(pair => Stream(pair[0], pair[1]))];
    }

    // entries: [[id, [field, value, ...]], ...]
    private static (RedisKey, StreamEntry[]) Stream(RedisResult key, RedisResult streamEntries)
    {
        var entries = ((RedisResult[])streamEntries!).Select(entry =>
        {
            var idAndFields = (RedisResult[])entry!;
            var fields = (RedisResult[])idAndFields[1]!;
            var values = new NameValueEntry[fields.Length / 2];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = new NameValueEntry((RedisValue)fields[2 * i], (RedisValue)fields[(2 * i) + 1]);
            }
            return new StreamEntry((RedisValue)idAndFields[0], values);
        });
        return ((RedisKey)(string)key!, [.. entries]);
    }
}
