using System.Text.Json.Serialization;

namespace Messenger.Security;

/// <summary>Source-generated JSON for the ticket body; strict, because a ticket with unknown or missing fields is not one we issued.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PrivateTicket))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
