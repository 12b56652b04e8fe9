using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Messenger.Server.Cluster;

/// <summary>
/// The bus of in-process test clusters, with fault knobs: <see cref="Drop"/> items, <see cref="Hold"/> a node's items
/// until <see cref="Release"/> (delay), <see cref="Kill"/> a node (nothing reaches it or leaves it any more), and
/// <see cref="Reset"/> (the bus lost everything, as Redis restarted without saving).
/// </summary>
public sealed class InMemoryClusterNetwork
{
    private readonly ConcurrentDictionary<string, Channel<ClusterItem>> inboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<ClusterItem>> held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> dead = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IClusterInbox> readers = new(StringComparer.Ordinal);

    /// <summary>Decides per item whether it is lost on the way (from, to, item); null: nothing is lost.</summary>
    public Func<string, string, ClusterItem, bool>? Drop { get; set; }

    public InMemoryClusterBus Join(string node)
    {
        inboxes[node] = Channel.CreateUnbounded<ClusterItem>(new UnboundedChannelOptions { SingleReader = true });
        return new InMemoryClusterBus(this, node);
    }

    public void Kill(string node)
    {
        dead[node] = true;
        if (inboxes.TryGetValue(node, out var inbox))
        {
            inbox.Writer.TryComplete();
        }
    }

    /// <summary>Items for <paramref name="node"/> wait (in order) until <see cref="Release"/>.</summary>
    public void Hold(string node) => held.TryAdd(node, []);

    public void Release(string node)
    {
        if (held.TryRemove(node, out var items))
        {
            lock (items)
            {
                foreach (var item in items)
                {
                    Write(node, item);
                }
            }
        }
    }

    /// <summary>Everything in flight is lost and every node is told, as after a Redis restart without persistence.</summary>
    public async Task ResetAsync()
    {
        foreach (var items in held.Values)
        {
            lock (items)
            {
                items.Clear();
            }
        }
        foreach (var (node, reader) in readers)
        {
            if (!dead.ContainsKey(node))
            {
                await reader.BusResetAsync();
            }
        }
    }

    internal IEnumerable<string> Nodes => inboxes.Keys;

    internal void Register(string node, IClusterInbox inbox) => readers[node] = inbox;

    internal ChannelReader<ClusterItem> Inbox(string node) => inboxes[node].Reader;

    internal void Carry(string from, string to, ClusterItem item)
    {
        if (dead.ContainsKey(from) || dead.ContainsKey(to) || Drop?.Invoke(from, to, item) == true)
        {
            return;
        }
        if (held.TryGetValue(to, out var waiting))
        {
            lock (waiting)
            {
                if (held.ContainsKey(to))
                {
                    waiting.Add(item);
                    return;
                }
            }
        }
        Write(to, item);
    }

    private void Write(string to, ClusterItem item)
    {
        if (inboxes.TryGetValue(to, out var inbox))
        {
            inbox.Writer.TryWrite(item);
        }
    }
}
