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
    /// <summary>A per-thread scratch buffer larger than this is dropped after use instead of kept.</summary>
    private const int MaxKeptScratch = 64 * 1024;

    // JSON is serialized into a per-thread scratch buffer and writer that are reused, so encoding a frame allocates
    // nothing but (for ToArray) the frame itself. The flag guards against reentrant use on one thread.
    /// <summary>Text is escaped only where JSON requires it (<see cref="WireJsonEncoder"/>): no six-fold '&lt;'.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = WireJsonEncoder.Instance };

    [ThreadStatic] private static ArrayBufferWriter<byte>? scratchBuffer;
    [ThreadStatic] private static Utf8JsonWriter? scratchWriter;
    [ThreadStatic] private static bool scratchInUse;

    /// <summary>Writes a frame whose payload is the JSON form of <paramref name="value"/>.</summary>
    public static int WriteJson<T>(IBufferWriter<byte> output, FrameType type, uint requestId, T value, JsonTypeInfo<T> typeInfo)
    {
        if (scratchInUse)
        {
            var own = new ArrayBufferWriter<byte>(256);
            using (var json = new Utf8JsonWriter(own, WriterOptions))
            {
                WriteValue(json, value, typeInfo);
            }
            return WriteRaw(output, type, requestId, own.WrittenSpan);
        }
        var scratch = Serialize(value, typeInfo);
        try
        {
            return WriteRaw(output, type, requestId, scratch.WrittenSpan);
        }
        finally
        {
            Release(scratch);
        }
    }

    /// <summary>Writes a frame around raw payload bytes (chunk data, or a payload serialized once for many receivers).</summary>
    public static int WriteRaw(IBufferWriter<byte> output, FrameType type, uint requestId, ReadOnlySpan<byte> payload)
    {
        CheckLength(payload.Length);
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
        if (scratchInUse)
        {
            var own = new ArrayBufferWriter<byte>(256);
            WriteJson(own, type, requestId, value, typeInfo);
            return own.WrittenSpan.ToArray();
        }
        var scratch = Serialize(value, typeInfo);
        try
        {
            var payload = scratch.WrittenSpan;
            CheckLength(payload.Length);
            var frame = GC.AllocateUninitializedArray<byte>(FrameHeader.Size + payload.Length);
            new FrameHeader(type, requestId, payload.Length, Crc32C.Compute(payload)).WriteTo(frame);
            payload.CopyTo(frame.AsSpan(FrameHeader.Size));
            return frame;
        }
        finally
        {
            Release(scratch);
        }
    }

    private static ArrayBufferWriter<byte> Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        scratchInUse = true;
        var buffer = scratchBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = scratchWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        try
        {
            WriteValue(writer, value, typeInfo);
            writer.Flush();
        }
        catch
        {
            Release(buffer);
            throw;
        }
        return buffer;
    }

    /// <summary>
    /// Uses the source generator's straight-line writer when it made one (no converter lookups, no per-property
    /// metadata calls: the profile of W1 showed the metadata path at ~7 % of the server's CPU), else the serializer.
    /// </summary>
    private static void WriteValue<T>(Utf8JsonWriter writer, T value, JsonTypeInfo<T> typeInfo)
    {
        if (typeInfo.SerializeHandler is { } writeFast)
        {
            writeFast(writer, value);
        }
        else
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }
    }

    private static void Release(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > MaxKeptScratch)
        {
            scratchBuffer = null;
            scratchWriter = null;
        }
        scratchInUse = false;
    }

    private static void CheckLength(int length)
    {
        if (length > ProtocolLimits.MaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A frame payload may hold at most {ProtocolLimits.MaxPayloadLength} bytes.");
        }
    }
}
