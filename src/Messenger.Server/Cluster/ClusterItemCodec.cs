using System.Text;
using System.Text.Json;
using Messenger.Protocol.Contracts;

namespace Messenger.Server.Cluster;

/// <summary>
/// How a batch of items travels in one Redis stream entry: the sending node's name once, then each item in order, as a
/// compact binary record for the two every cross-node message makes (its <see cref="DeliverItem"/> and the
/// <see cref="OutcomeItem"/> that answers it delivered or stored) and as JSON for the rarer rest. The batch's JSON
/// (a type name and every property name per item, and <see cref="ClusterItem.From"/> in each) was the bulk of a crossing's bytes.
/// </summary>
internal static class ClusterItemCodec
{
    private const byte Version = 2; // 2: a crossing's items carry the sender node's number instead of the names in its answer
    private const byte JsonItem = 0;
    private const byte Deliver = 1;
    private const byte Outcome = 2;

    // The write loop encodes one batch at a time: its buffer and writer are reused (per thread), and only the entry
    // itself, at its exact size, is a new array (it was a stream sized for 64 bytes an item, then a copy of it).
    [ThreadStatic]
    private static BinaryWriter? scratch;

    /// <summary>The entry for <paramref name="items"/> sent by node <paramref name="from"/> (each item's own From is not written).</summary>
    public static byte[] Encode(IReadOnlyCollection<ClusterItem> items, string from)
    {
        var writer = scratch ??= new BinaryWriter(new MemoryStream(), Encoding.UTF8);
        var buffer = (MemoryStream)writer.BaseStream;
        buffer.SetLength(0);
        writer.Write(Version);
        writer.Write(from);
        writer.Write7BitEncodedInt(items.Count);
        foreach (var item in items)
        {
            Write(writer, item);
        }
        writer.Flush();
        var entry = buffer.ToArray();
        if (buffer.Capacity > 1 << 20)
        {
            scratch = null; // an unusually large batch: its buffer is not kept
        }
        return entry;
    }

    /// <summary>
    /// The items of an entry, in order, each with From set to the node that wrote it; names (node, sender, recipient)
    /// through <paramref name="names"/> when the reader keeps one.
    /// </summary>
    public static ClusterItem[] Decode(ReadOnlySpan<byte> entry, NameCache? names = null)
    {
        var reader = new BusEntryReader(entry);
        if (reader.ReadByte() != Version)
        {
            throw new InvalidDataException("A bus entry of an unknown version: every node of a cluster runs the same server.");
        }
        var from = reader.ReadName(names);
        var items = new ClusterItem[reader.Read7BitEncodedInt()];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = reader.ReadByte() switch
            {
                Deliver => new DeliverItem(reader.ReadInt64(), reader.ReadName(names), reader.ReadName(names), reader.ReadInt64(), reader.ReadString(),
                    reader.ReadInt64()) { From = from },
                Outcome => new OutcomeItem(reader.ReadInt64(), (DeliveryOutcome)reader.ReadByte()) { From = from },
                JsonItem => JsonSerializer.Deserialize(reader.ReadBytes(reader.Read7BitEncodedInt()), ClusterJsonContext.Default.ClusterItem)! with { From = from },
                var unknown => throw new InvalidDataException($"A bus item of unknown kind {unknown}."),
            };
        }
        return items;
    }

    private static void Write(BinaryWriter writer, ClusterItem item)
    {
        switch (item)
        {
            case DeliverItem deliver:
                writer.Write(Deliver);
                writer.Write(deliver.Ref);
                writer.Write(deliver.Sender);
                writer.Write(deliver.Recipient);
                writer.Write(deliver.MessageId);
                writer.Write(deliver.Text);
                writer.Write(deliver.SentAtMs);
                break;
            case OutcomeItem { Outcome: { } outcome, Status: null, Message: null, Reason: null } answer:
                writer.Write(Outcome);
                writer.Write(answer.Ref);
                writer.Write((byte)outcome);
                break;
            default:
                var json = JsonSerializer.SerializeToUtf8Bytes(item, ClusterJsonContext.Default.ClusterItem);
                writer.Write(JsonItem);
                writer.Write7BitEncodedInt(json.Length);
                writer.Write(json);
                break;
        }
    }
}
