using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Messenger.Server.Dispatch;

/// <summary>Reads a request's payload from the frame's buffer; false (nothing thrown) when it is malformed.</summary>
public delegate bool PayloadParser<T>(in ReadOnlySequence<byte> payload, [NotNullWhen(true)] out T? value)
    where T : class;
