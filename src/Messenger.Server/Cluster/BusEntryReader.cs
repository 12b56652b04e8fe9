using System.Buffers.Binary;
using System.Text;

namespace Messenger.Server.Cluster;

/// <summary>
/// Reads a bus entry as <see cref="BinaryWriter"/> wrote it (little-endian numbers, UTF-8 strings after a 7-bit length)
/// straight from the bytes Redis returned: no copy of the entry, no stream and no reader object per entry. A length past
/// the entry's end is refused, not read.
/// </summary>
internal ref struct BusEntryReader(ReadOnlySpan<byte> entry)
{
    private readonly ReadOnlySpan<byte> entry = entry;
    private int position;

    public byte ReadByte() => Take(1)[0];

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public int Read7BitEncodedInt()
    {
        var value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var next = ReadByte();
            value |= (next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }
        throw new InvalidDataException("A bus entry has a length of more than five bytes.");
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadStringBytes());

    /// <summary>A user's or node's name: one string per name for as long as <paramref name="names"/> (if any) keeps it.</summary>
    public string ReadName(NameCache? names) => names is null ? ReadString() : names.Get(ReadStringBytes());

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    private ReadOnlySpan<byte> ReadStringBytes() => Take(Read7BitEncodedInt());

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > entry.Length - position)
        {
            throw new InvalidDataException($"A bus entry ends before the {count} bytes it announces.");
        }
        var taken = entry.Slice(position, count);
        position += count;
        return taken;
    }
}
