using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Messenger.Protocol.Framing;

/// <summary>
/// Writes frames into an <see cref="IBufferWriter{T}"/> (a PipeWriter or an ArrayBufferWriter):
/// the header is reserved first and filled in once the payload's length and checksum are known.
/// </summary>
public static class FrameEncoder
{
    /// <summary>Writes a frame whose payload is the JSON form of <paramref name="value"/>.</summary>
    public static int WriteJson<T>(IBufferWriter<byte> output, FrameType type, uint requestId, T value, JsonTypeInfo<T> typeInfo)
    {
        var scratch = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(scratch))
        {
            JsonSerializer.Serialize(json, value, typeInfo);
        }
        return WriteRaw(output, type, requestId, scratch.WrittenSpan);
    }

    /// <summary>Writes a frame around raw payload bytes (chunk data, or a payload serialized once for many receivers).</summary>
    public static int WriteRaw(IBufferWriter<byte> output, FrameType type, uint requestId, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > ProtocolLimits.MaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), payload.Length, $"A frame payload may hold at most {ProtocolLimits.MaxPayloadLength} bytes.");
        }
        var total = FrameHeader.Size + payload.Length;
        var span = output.GetSpan(total);
        new FrameHeader(type, requestId, payload.Length, Crc32C.Compute(payload)).WriteTo(span);
        payload.CopyTo(span[FrameHeader.Size..]);
        output.Advance(total);
        return total;
    }

    /// <summary>Builds a complete frame as one array: used when one payload goes to many connections.</summary>
    public static byte[] ToArray<T>(FrameType type, uint requestId, T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteJson(buffer, type, requestId, value, typeInfo);
        return buffer.WrittenSpan.ToArray();
    }
}
