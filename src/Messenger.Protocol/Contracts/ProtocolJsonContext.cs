using System.Text.Json.Serialization;

namespace Messenger.Protocol.Contracts;

/// <summary>Source-generated (reflection-free, trimming-safe) JSON for every control payload.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters =
    [
        typeof(StrictEnumConverter<StatusCode>), typeof(StrictEnumConverter<PresenceKind>), typeof(StrictEnumConverter<DeliveryOutcome>),
        typeof(StrictEnumConverter<PrivateMode>), typeof(StrictEnumConverter<ConsentOutcome>),
        typeof(NonNullArrayConverter<string>), typeof(NonNullArrayConverter<FileVersion>), typeof(NonNullArrayConverter<ChunkOwner>),
        typeof(NonNullArrayConverter<PresenceEvent>), typeof(NonNullArrayConverter<RoomPosition>), typeof(NonNullArrayConverter<RoomSummary>),
        typeof(NonNullArrayConverter<RoomMemberInfo>), typeof(NonNullArrayConverter<HistoryEntry>),
    ],
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(BroadcastRequest))]
[JsonSerializable(typeof(WhoElseRequest))]
[JsonSerializable(typeof(BlockRequest))]
[JsonSerializable(typeof(UnblockRequest))]
[JsonSerializable(typeof(LogoutRequest))]
[JsonSerializable(typeof(PingRequest))]
[JsonSerializable(typeof(StartPrivateRequest))]
[JsonSerializable(typeof(ActivityRequest))]
[JsonSerializable(typeof(AckMessages))]
[JsonSerializable(typeof(Response))]
[JsonSerializable(typeof(LoginAccepted))]
[JsonSerializable(typeof(SendResult))]
[JsonSerializable(typeof(BroadcastResult))]
[JsonSerializable(typeof(UserList))]
[JsonSerializable(typeof(PrivateGrant))]
[JsonSerializable(typeof(IncomingMessage))]
[JsonSerializable(typeof(PresenceEvent))]
[JsonSerializable(typeof(PresenceDigest))]
[JsonSerializable(typeof(SessionEnded))]
[JsonSerializable(typeof(Notice))]
[JsonSerializable(typeof(FindFileRequest))]
[JsonSerializable(typeof(FileLocations))]
[JsonSerializable(typeof(RegisterChunks))]
[JsonSerializable(typeof(HolderQuery))]
[JsonSerializable(typeof(HolderAnswer))]
[JsonSerializable(typeof(ReportBadChunk))]
[JsonSerializable(typeof(PeerHello))]
[JsonSerializable(typeof(PrivateText))]
[JsonSerializable(typeof(PrivateClose))]
[JsonSerializable(typeof(ChunkRequest))]
[JsonSerializable(typeof(FileManifest))]
[JsonSerializable(typeof(JoinRoomRequest))]
[JsonSerializable(typeof(LeaveRoomRequest))]
[JsonSerializable(typeof(RoomMessageRequest))]
[JsonSerializable(typeof(ListRoomsRequest))]
[JsonSerializable(typeof(RoomMembersRequest))]
[JsonSerializable(typeof(RoomSettingsRequest))]
[JsonSerializable(typeof(RoomInviteRequest))]
[JsonSerializable(typeof(RoomKickRequest))]
[JsonSerializable(typeof(HistoryRequest))]
[JsonSerializable(typeof(InvisibleRequest))]
[JsonSerializable(typeof(RoomAck))]
[JsonSerializable(typeof(RoomList))]
[JsonSerializable(typeof(RoomMemberList))]
[JsonSerializable(typeof(HistoryPage))]
[JsonSerializable(typeof(RoomMessageEvent))]
[JsonSerializable(typeof(RoomNotice))]
[JsonSerializable(typeof(PrivateModeRequest))]
[JsonSerializable(typeof(AnswerPrivateRequest))]
[JsonSerializable(typeof(PrivatePending))]
[JsonSerializable(typeof(PrivateRequested))]
[JsonSerializable(typeof(PrivateConsent))]
[JsonSerializable(typeof(VersionRequest))]
[JsonSerializable(typeof(VersionInfo))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
