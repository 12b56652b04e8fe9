namespace Messenger.Protocol.Framing;

/// <summary>
/// What a frame carries. 0x1_ requests, 0x2_ responses, 0x3_ server events, 0x4_ swarm registry,
/// 0x5_ peer-to-peer, 0x6_ rooms and history,
/// 0x7_ consent and version. Every value is listed in docs/PROTOCOL.md §4.
/// </summary>
public enum FrameType : byte
{
    // Client -> server requests; each gets exactly one response with the same request id.
    Login = 0x10,
    SendMessage = 0x11,
    Broadcast = 0x12,
    WhoElse = 0x13,
    Block = 0x14,
    Unblock = 0x15,
    Logout = 0x16,
    Ping = 0x17,
    StartPrivate = 0x18,
    Activity = 0x19,

    // The compact (binary) forms of a direct message's frames (docs/PROTOCOL.md §4.2): a send, answered with its
    // compact result; an ack (no response); the compact delivery, sent only to clients that named "compact" at login.
    SendMessageCompact = 0x26,
    AckCompact = 0x27,
    SendResultCompact = 0x28,
    IncomingCompact = 0x29,

    // Client -> server, no response: acknowledges delivered messages.
    Ack = 0x1F,

    // Server -> client responses.
    Response = 0x20,
    LoginAccepted = 0x21,
    SendResult = 0x22,
    BroadcastResult = 0x23,
    UserList = 0x24,
    PrivateGrant = 0x25,

    // Server -> client events (request id 0).
    IncomingMessage = 0x30,
    Presence = 0x31,
    SessionEnded = 0x32,
    Notice = 0x33,
    PresenceDigest = 0x34,

    // Swarm registry (client <-> server).
    FindFile = 0x40,
    FileLocations = 0x41,
    RegisterChunks = 0x42,
    HolderQuery = 0x43,
    ReportBadChunk = 0x44,
    HolderAnswer = 0x45,

    // Peer <-> peer.
    PeerHello = 0x50,
    PrivateText = 0x51,
    PrivateClose = 0x52,
    ChunkRequest = 0x53,
    ChunkData = 0x54,

    // Rooms and history (client <-> server): requests, their typed responses, then events (request id 0).
    JoinRoom = 0x60,
    LeaveRoom = 0x61,
    RoomMessage = 0x62,
    ListRooms = 0x63,
    RoomMembers = 0x64,
    RoomSettings = 0x65,
    RoomInvite = 0x66,
    RoomKick = 0x67,
    History = 0x68,
    Invisible = 0x69,
    RoomAck = 0x6A,
    RoomList = 0x6B,
    RoomMemberList = 0x6C,
    HistoryPage = 0x6D,
    RoomMessageEvent = 0x6E,
    RoomNotice = 0x6F,
    // Consent, guests and version (issue 18): requests 0x70-0x77, responses 0x78-0x7B, events 0x7C-0x7F.
    SetPrivateMode = 0x70,
    AnswerPrivate = 0x71,
    Version = 0x72,
    PrivatePending = 0x78,
    VersionInfo = 0x79,
    PrivateRequested = 0x7C,
    PrivateConsent = 0x7D,
}
