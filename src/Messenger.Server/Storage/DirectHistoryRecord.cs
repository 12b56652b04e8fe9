using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Messenger.Server.Storage;

/// <summary>
/// One direct message as the history stores it inside a blob (a chunk of one conversation, or a log row): a flag byte
/// (1: sent by the conversation's lower name), the sender's message id, the send time (Unix ms) and the text's UTF-8
/// length, all little-endian, then the text. A blob is records back to back, so a chunk is read with no per-row SQL,
/// and moving a conversation's records from the log into a chunk is a copy of bytes.
/// </summary>
/// <param name="Offset">Where the record starts in its blob.</param>
/// <param name="Length">The record's bytes, header included.</param>
internal readonly record struct DirectHistoryRecord(int Offset, int Length, bool FromLow, long MessageId, long SentAtMs, int TextBytes)
{
    /// <summary>Flag, message id, send time, text length.</summary>
    public const int HeaderBytes = 1 + 8 + 8 + 4;

    /// <summary>
    /// Appends a record to <paramref name="writer"/>; returns the bytes written. The text is encoded in one pass, into
    /// room for its longest encoding (texts are at most 4,000 bytes), and its length written after.
    /// </summary>
    public static int Write(IBufferWriter<byte> writer, bool fromLow, long messageId, long sentAtMs, string text)
    {
        var span = writer.GetSpan(HeaderBytes + Encoding.UTF8.GetMaxByteCount(text.Length));
        var textBytes = Encoding.UTF8.GetBytes(text, span[HeaderBytes..]);
        span[0] = fromLow ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], messageId);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], sentAtMs);
        BinaryPrimitives.WriteInt32LittleEndian(span[17..], textBytes);
        writer.Advance(HeaderBytes + textBytes);
        return HeaderBytes + textBytes;
    }

    /// <summary>Reads the record at <paramref name="offset"/> of <paramref name="blob"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes there are not a whole record.</exception>
    public static DirectHistoryRecord ReadAt(ReadOnlySpan<byte> blob, int offset)
    {
        if (blob.Length - offset < HeaderBytes)
        {
            throw new InvalidDataException($"A direct-history record at byte {offset} is cut short.");
        }
        var header = blob[offset..];
        var textBytes = BinaryPrimitives.ReadInt32LittleEndian(header[17..]);
        if (textBytes < 0 || textBytes > header.Length - HeaderBytes)
        {
            throw new InvalidDataException($"A direct-history record at byte {offset} claims {textBytes} bytes of text.");
        }
        return new(offset, HeaderBytes + textBytes, header[0] == 1, BinaryPrimitives.ReadInt64LittleEndian(header[1..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[9..]), textBytes);
    }

    /// <summary>Every record of <paramref name="blob"/>, in order.</summary>
    public static List<DirectHistoryRecord> All(ReadOnlySpan<byte> blob)
    {
        var records = new List<DirectHistoryRecord>();
        for (var offset = 0; offset < blob.Length; offset += records[^1].Length)
        {
            records.Add(ReadAt(blob, offset));
        }
        return records;
    }

    /// <summary>The text's UTF-8 bytes inside <paramref name="blob"/>.</summary>
    public ReadOnlySpan<byte> Text(ReadOnlySpan<byte> blob) => blob.Slice(Offset + HeaderBytes, TextBytes);

    /// <summary>The message this record holds, in the conversation of <paramref name="low"/> and <paramref name="high"/>.</summary>
    public StoredMessage ToMessage(ReadOnlySpan<byte> blob, string low, string high)
    {
        var (sender, recipient) = FromLow ? (low, high) : (high, low);
        return new StoredMessage(0, sender, recipient, MessageId, Encoding.UTF8.GetString(Text(blob)),
            DateTimeOffset.FromUnixTimeMilliseconds(SentAtMs));
    }
}
