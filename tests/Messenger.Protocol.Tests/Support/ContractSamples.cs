using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Protocol.Tests.Support;

/// <summary>
/// A realistic value of every contract type in <see cref="ProtocolJsonContext"/>, carried by its frame type
/// (docs/PROTOCOL.md §4). Texts mix non-ASCII letters, CJK, emoji (surrogate pairs, ZWJ sequences, flags),
/// JSON- and HTML-significant characters and control characters, which is what an encoder gets wrong.
/// </summary>
public static class ContractSamples
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public const string Chat = "Grüße aus Köln! 你好, мир 👋🏽 👩‍💻 🇩🇪 — \"quoted\" \\ back\\slash </script> & <b>\ttab\nnew line\u2028sep\u0001";
    public const string Fingerprint = "SHA256:3f9a1c6e0b7d4f2a8c5e1b9d7f3a6c0e2b4d8f1a3c5e7b9d0f2a4c6e8b1d3f5a";
    public const string Ticket = "MIIGfwYJKoZIhvcNAQcCoIIGcDCCBmwCAQExDTALBglghkgBZQMEAgEwggFTBgkqhkiG9w0BBwGgggFEBIIBQHsidXNlciI6ImhhbnMifQ==";

    private static readonly FileManifest Manifest = new(
        "Urlaubsfotos 🏖️ 2025 (Größe).zip",
        3L * 1024 * 1024 * 1024 + 17,
        1024 * 1024,
        [
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
            "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13",
        ]);

    private static readonly string FileId = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";

    /// <summary>Exactly one case per frame type that carries JSON, plus <see cref="FileManifest"/>.</summary>
    public static IReadOnlyList<ContractCase> All { get; } =
    [
        // Requests (client -> server).
        new ContractCase<LoginRequest>(FrameType.Login,
            new LoginRequest("hans.mueller", "pässwört 🔑 密码 \"x\"", null, 50123, Fingerprint, "203.0.113.7", Register: true, Features: [ClientFeatures.Rooms, "future"]), Json.LoginRequest),
        new ContractCase<SendMessageRequest>(FrameType.SendMessage, new SendMessageRequest("yoda_42", Chat, 9_007_199_254_740_993), Json.SendMessageRequest),
        new ContractCase<BroadcastRequest>(FrameType.Broadcast, new BroadcastRequest("Guten Morgen zusammen ☕ — おはよう 🌅"), Json.BroadcastRequest),
        new ContractCase<WhoElseRequest>(FrameType.WhoElse, new WhoElseRequest(3600), Json.WhoElseRequest),
        new ContractCase<BlockRequest>(FrameType.Block, new BlockRequest("spam-bot.9"), Json.BlockRequest),
        new ContractCase<UnblockRequest>(FrameType.Unblock, new UnblockRequest("spam-bot.9"), Json.UnblockRequest),
        new ContractCase<LogoutRequest>(FrameType.Logout, new LogoutRequest(), Json.LogoutRequest),
        new ContractCase<PingRequest>(FrameType.Ping, new PingRequest(), Json.PingRequest),
        new ContractCase<StartPrivateRequest>(FrameType.StartPrivate, new StartPrivateRequest("yoda_42"), Json.StartPrivateRequest),
        new ContractCase<ActivityRequest>(FrameType.Activity, new ActivityRequest("private"), Json.ActivityRequest),
        new ContractCase<AckMessages>(FrameType.Ack, new AckMessages([1, 2, 3, long.MaxValue]), Json.AckMessages),

        // Responses (server -> client).
        new ContractCase<Response>(FrameType.Response,
            new Response(StatusCode.Forbidden, "yoda_42 hat dich blockiert 🚫 (blocked)", Reasons.BlockedByRecipient), Json.Response),
        new ContractCase<LoginAccepted>(FrameType.LoginAccepted,
            new LoginAccepted("hans", "rt_Zk3m9Q-x_Vb2w8Lp0Yc4Hn7T", "Willkommen, hans! 🎉 3 Nachrichten warten.", true, 1_750_000_123_456, Fingerprint, AccountCreated: true, Guest: true,
                Features: [ClientFeatures.Compact]), Json.LoginAccepted),
        new ContractCase<SendResult>(FrameType.SendResult, new SendResult(9_007_199_254_740_993, DeliveryOutcome.Stored), Json.SendResult),
        new ContractCase<BroadcastResult>(FrameType.BroadcastResult, new BroadcastResult(1234, true), Json.BroadcastResult),
        new ContractCase<UserList>(FrameType.UserList, new UserList(["yoda_42", "hans", "a", "x.y-z_0"]), Json.UserList),
        new ContractCase<PrivateGrant>(FrameType.PrivateGrant,
            new PrivateGrant("yoda_42", "fe80::1ff:fe23:4567:890a", 61001, Fingerprint, Ticket), Json.PrivateGrant),

        // Events (server -> client).
        new ContractCase<IncomingMessage>(FrameType.IncomingMessage,
            new IncomingMessage(77, "yoda_42", Chat, 31, 1_750_000_000_001, true, true), Json.IncomingMessage),
        new ContractCase<PresenceEvent>(FrameType.Presence, new PresenceEvent("yoda_42", PresenceKind.LoggedOut), Json.PresenceEvent),
        new ContractCase<PresenceDigest>(FrameType.PresenceDigest,
            new PresenceDigest([new PresenceEvent("ann", PresenceKind.LoggedIn), new PresenceEvent("bo", PresenceKind.LoggedOut)], 41, 2), Json.PresenceDigest),
        new ContractCase<SessionEnded>(FrameType.SessionEnded,
            new SessionEnded(Reasons.Replaced, "Angemeldet von einem anderen Gerät 📱"), Json.SessionEnded),
        new ContractCase<Notice>(FrameType.Notice, new Notice("Wartung um 22:00 ⏰ — メンテナンス"), Json.Notice),

        // Swarm registry (client <-> server).
        new ContractCase<FindFileRequest>(FrameType.FindFile, new FindFileRequest(Manifest.Name, FileId), Json.FindFileRequest),
        new ContractCase<FileLocations>(FrameType.FileLocations,
            new FileLocations(
                Manifest.Name,
                [
                    new FileVersion(FileId, Manifest,
                    [
                        new ChunkOwner("yoda_42", "192.0.2.10", 61001, Fingerprint, [0, 1, 2], Ticket),
                        new ChunkOwner("hans", "2001:db8::7", 61002, Fingerprint, [2], Ticket),
                    ]),
                ]),
            Json.FileLocations),
        new ContractCase<RegisterChunks>(FrameType.RegisterChunks, new RegisterChunks(FileId, [0, 2], Manifest), Json.RegisterChunks),
        new ContractCase<HolderQuery>(FrameType.HolderQuery, new HolderQuery(77, Manifest.Name), Json.HolderQuery),
        new ContractCase<HolderAnswer>(FrameType.HolderAnswer, new HolderAnswer(77, FileId, Manifest), Json.HolderAnswer),
        new ContractCase<ReportBadChunk>(FrameType.ReportBadChunk, new ReportBadChunk(FileId, "mallory", 2), Json.ReportBadChunk),

        // Peer <-> peer.
        new ContractCase<PeerHello>(FrameType.PeerHello, new PeerHello("hans", Ticket, "private"), Json.PeerHello),
        new ContractCase<PrivateText>(FrameType.PrivateText, new PrivateText(Chat, 1_750_000_000_002), Json.PrivateText),
        new ContractCase<PrivateClose>(FrameType.PrivateClose, new PrivateClose("stopprivate 👋"), Json.PrivateClose),
        new ContractCase<ChunkRequest>(FrameType.ChunkRequest, new ChunkRequest(FileId, 1), Json.ChunkRequest),

        // Rooms and history.
        new ContractCase<JoinRoomRequest>(FrameType.JoinRoom, new JoinRoomRequest("#Kaffee-Küche"), Json.JoinRoomRequest),
        new ContractCase<LeaveRoomRequest>(FrameType.LeaveRoom, new LeaveRoomRequest("#team_1"), Json.LeaveRoomRequest),
        new ContractCase<RoomMessageRequest>(FrameType.RoomMessage, new RoomMessageRequest("#team_1", Chat, 9_007_199_254_740_993), Json.RoomMessageRequest),
        new ContractCase<ListRoomsRequest>(FrameType.ListRooms, new ListRoomsRequest(), Json.ListRoomsRequest),
        new ContractCase<RoomMembersRequest>(FrameType.RoomMembers, new RoomMembersRequest("#team_1"), Json.RoomMembersRequest),
        new ContractCase<RoomSettingsRequest>(FrameType.RoomSettings, new RoomSettingsRequest("#team_1", "Release 🚀 am Freitag", true), Json.RoomSettingsRequest),
        new ContractCase<RoomInviteRequest>(FrameType.RoomInvite, new RoomInviteRequest("#team_1", "yoda_42"), Json.RoomInviteRequest),
        new ContractCase<RoomKickRequest>(FrameType.RoomKick, new RoomKickRequest("#team_1", "spam-bot.9"), Json.RoomKickRequest),
        new ContractCase<HistoryRequest>(FrameType.History, new HistoryRequest("#team_1", 500), Json.HistoryRequest),
        new ContractCase<InvisibleRequest>(FrameType.Invisible, new InvisibleRequest(true), Json.InvisibleRequest),
        new ContractCase<RoomAck>(FrameType.RoomAck, new RoomAck([new RoomPosition("#team_1", 41), new RoomPosition("#b", long.MaxValue)]), Json.RoomAck),
        new ContractCase<RoomList>(FrameType.RoomList, new RoomList([new RoomSummary("#team_1", 1000, Chat, true, true, false)]), Json.RoomList),
        new ContractCase<RoomMemberList>(FrameType.RoomMemberList,
            new RoomMemberList("#team_1", [new RoomMemberInfo("hans", true, true), new RoomMemberInfo("yoda_42", false, false)]), Json.RoomMemberList),
        new ContractCase<HistoryPage>(FrameType.HistoryPage, new HistoryPage("yoda_42", [new HistoryEntry("hans", Chat, 1_750_000_000_003)], 3), Json.HistoryPage),
        new ContractCase<RoomMessageEvent>(FrameType.RoomMessageEvent,
            new RoomMessageEvent("#team_1", 42, "yoda_42", Chat, 31, 1_750_000_000_004, true), Json.RoomMessageEvent),
        new ContractCase<RoomNotice>(FrameType.RoomNotice, new RoomNotice("#team_1", "hans joined #team_1 👋"), Json.RoomNotice),
        // Consent, guests and version (issue 18).
        new ContractCase<PrivateModeRequest>(FrameType.SetPrivateMode, new PrivateModeRequest(PrivateMode.Ask), Json.PrivateModeRequest),
        new ContractCase<AnswerPrivateRequest>(FrameType.AnswerPrivate, new AnswerPrivateRequest("yoda_42", true), Json.AnswerPrivateRequest),
        new ContractCase<VersionRequest>(FrameType.Version, new VersionRequest(), Json.VersionRequest),
        new ContractCase<PrivatePending>(FrameType.PrivatePending, new PrivatePending("yoda_42", 60), Json.PrivatePending),
        new ContractCase<VersionInfo>(FrameType.VersionInfo, new VersionInfo("1.2.3+ä", 1, Fingerprint), Json.VersionInfo),
        new ContractCase<PrivateRequested>(FrameType.PrivateRequested, new PrivateRequested("hans", 60), Json.PrivateRequested),
        new ContractCase<PrivateConsent>(FrameType.PrivateConsent,
            new PrivateConsent("yoda_42", ConsentOutcome.Accepted, new PrivateGrant("yoda_42", "192.0.2.10", 61001, Fingerprint, Ticket)), Json.PrivateConsent),

        // Never a frame of its own (it travels inside RegisterChunks and FileLocations); serialized alone only to
        // compute the file id. Carried here in a RegisterChunks frame because the encoder does not care.
        new ContractCase<FileManifest>(FrameType.RegisterChunks, Manifest, Json.FileManifest),
    ];

    /// <summary>Second values for types whose optional fields the first case leaves unset or set.</summary>
    public static IReadOnlyList<ContractCase> Variants { get; } =
    [
        new ContractCase<LoginRequest>(FrameType.Login, new LoginRequest("hans", null, "rt_Zk3m9Q-x_Vb2w8Lp0Yc4Hn7T"), Json.LoginRequest, "LoginRequest (resume, no password)"),
        new ContractCase<WhoElseRequest>(FrameType.WhoElse, new WhoElseRequest(), Json.WhoElseRequest, "WhoElseRequest (no window)"),
        new ContractCase<Response>(FrameType.Response, new Response(StatusCode.Ok, "pong"), Json.Response, "Response (no reason)"),
        new ContractCase<FindFileRequest>(FrameType.FindFile, new FindFileRequest("notes.txt"), Json.FindFileRequest, "FindFileRequest (no id)"),
        new ContractCase<AckMessages>(FrameType.Ack, new AckMessages([]), Json.AckMessages, "AckMessages (empty)"),
        new ContractCase<UserList>(FrameType.UserList, new UserList([]), Json.UserList, "UserList (empty)"),
        new ContractCase<IncomingMessage>(FrameType.IncomingMessage,
            new IncomingMessage(long.MaxValue, "a", "x", long.MinValue, 0, false, false), Json.IncomingMessage, "IncomingMessage (extremes)"),
        new ContractCase<PrivateText>(FrameType.PrivateText, new PrivateText("", -1), Json.PrivateText, "PrivateText (empty text)"),
        new ContractCase<RoomSettingsRequest>(FrameType.RoomSettings, new RoomSettingsRequest("#a"), Json.RoomSettingsRequest, "RoomSettingsRequest (show)"),
        new ContractCase<RoomList>(FrameType.RoomList, new RoomList([]), Json.RoomList, "RoomList (empty)"),
        new ContractCase<PrivateModeRequest>(FrameType.SetPrivateMode, new PrivateModeRequest(), Json.PrivateModeRequest, "PrivateModeRequest (query)"),
        new ContractCase<PrivateConsent>(FrameType.PrivateConsent, new PrivateConsent("a", ConsentOutcome.NoAnswer), Json.PrivateConsent, "PrivateConsent (no answer)"),
        new ContractCase<VersionInfo>(FrameType.VersionInfo, new VersionInfo("0", 1), Json.VersionInfo, "VersionInfo (no key)"),
    ];
}
