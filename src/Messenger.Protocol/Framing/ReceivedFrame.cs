using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;

namespace Messenger.Protocol.Framing;

/// <summary>A frame copied out of the read buffer, so it can outlive the read loop.</summary>
public sealed record ReceivedFrame(FrameType Type, uint RequestId, byte[] Payload)
{
    public static ReceivedFrame CopyOf(Frame frame) => new(frame.Type, frame.RequestId, frame.Payload.ToArray());

    public bool TryRead<T>(JsonTypeInfo<T> typeInfo, [NotNullWhen(true)] out T? value)
        where T : class
        => PayloadReader.TryRead(new System.Buffers.ReadOnlySequence<byte>(Payload), typeInfo, out value);

    public T Read<T>(JsonTypeInfo<T> typeInfo)
        where T : class
        => PayloadReader.Read(new System.Buffers.ReadOnlySequence<byte>(Payload), typeInfo);

    /// <summary>The status-only response, when this is one.</summary>
    public Response? AsResponse() =>
        Type == FrameType.Response && TryRead(ProtocolJsonContext.Default.Response, out var response) ? response : null;
}
