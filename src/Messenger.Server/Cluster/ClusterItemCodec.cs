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

    /// <summary>The entry for <paramref name="items"/> sent by node <paramref name="from"/> (each item's own From is not written).</summary>
    public static byte[] Encode(IReadOnlyCollection<ClusterItem> items, string from)
    {
        using var buffer = new MemoryStream(64 + (64 * items.Count));
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(from);
            writer.Write7BitEncodedInt(items.Count);
            foreach (var item in items)
            {
                Write(writer, item);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The items of an entry, in order, each with From set to the node that wrote it.</summary>
    public static ClusterItem[] Decode(byte[] entry)
    {
        using var reader = new BinaryReader(new MemoryStream(entry, writable: false), Encoding.UTF8);
        if (reader.ReadByte() != Version)
        {
            throw new InvalidDataException("A bus entry of an unknown version: every node of a cluster runs the same server.");
        }
        var from = reader.ReadString();
        var items = new ClusterItem[reader.Read7BitEncodedInt()];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = reader.ReadByte() switch
            {
                Deliver => new DeliverItem(reader.ReadInt64(), reader.ReadString(), reader.ReadString(), reader.ReadInt64(), reader.ReadString(), reader.ReadInt64()) { From = from },
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
