using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Protocol.Tests.Support;

/// <summary>
/// One contract type with a realistic value and the frame type that carries it, behind a non-generic face so a
/// test can loop over every type in <see cref="ProtocolJsonContext"/>.
/// </summary>
public abstract class ContractCase
{
    protected ContractCase(FrameType frameType, string label)
    {
        FrameType = frameType;
        Label = label;
    }

    public FrameType FrameType { get; }

    public string Label { get; }

    public abstract Type ContractType { get; }

    public abstract object Value { get; }

    /// <summary>Encodes the value as a JSON frame with <see cref="FrameEncoder.WriteJson{T}"/>.</summary>
    public abstract int WriteFrame(IBufferWriter<byte> output, uint requestId);

    /// <summary>The payload alone, as the encoder writes it.</summary>
    public abstract byte[] ToJson();

    /// <summary>
    /// The payload as the serializer's general (metadata-driven) path writes it: options with one extra converter
    /// are not the generated ones, so the serializer cannot take the source generator's fast path.
    /// </summary>
    public abstract byte[] ToJsonWithoutFastPath();

    /// <summary><see cref="PayloadReader.TryRead{T}"/> for this case's type.</summary>
    public abstract bool TryRead(in ReadOnlySequence<byte> payload, out object? value);

    public byte[] ToFrame(uint requestId)
    {
        var output = new ArrayBufferWriter<byte>();
        WriteFrame(output, requestId);
        return output.WrittenSpan.ToArray();
    }

    public override string ToString() => Label;
}

public sealed class ContractCase<T> : ContractCase
    where T : class
{
    private readonly JsonTypeInfo<T> typeInfo;
    private readonly T sample;

    public ContractCase(FrameType frameType, T value, JsonTypeInfo<T> typeInfo, string? label = null)
        : base(frameType, label ?? typeof(T).Name)
    {
        sample = value;
        this.typeInfo = typeInfo;
    }

    public override Type ContractType => typeof(T);

    public override object Value => sample;

    public override int WriteFrame(IBufferWriter<byte> output, uint requestId) =>
        FrameEncoder.WriteJson(output, FrameType, requestId, sample, typeInfo);

    public override byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(sample, typeInfo);

    public override byte[] ToJsonWithoutFastPath() => JsonSerializer.SerializeToUtf8Bytes(sample, MetadataOnly.Options);

    public override bool TryRead(in ReadOnlySequence<byte> payload, out object? value)
    {
        var ok = PayloadReader.TryRead(payload, typeInfo, out var typed);
        value = typed;
        return ok;
    }
}

/// <summary>Serializer options that use the generated metadata but never the generated fast-path writers.</summary>
internal static class MetadataOnly
{
    public static JsonSerializerOptions Options { get; } = new(ProtocolJsonContext.Default.Options)
    {
        Converters = { new UnusedTypeConverter() },
        Encoder = WireJsonEncoder.Instance, // frames escape only what JSON requires
    };

    /// <summary>A converter for a type no contract has: it changes nothing but which path the serializer takes.</summary>
    private sealed class UnusedTypeConverter : System.Text.Json.Serialization.JsonConverter<Uri>
    {
        public override Uri Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Uri value, JsonSerializerOptions options) => throw new NotSupportedException();
    }
}
