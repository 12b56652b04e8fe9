using System.Buffers;
using System.Text;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.Sessions;
using Messenger.Server.Tests.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Dispatch;

[TestClass]
public sealed class FrameDispatcherTests
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLink link = new();
    private readonly Session session;
    private readonly FrameDispatcher dispatcher;

    public FrameDispatcherTests()
    {
        session = new Session("alice", "token", link, time.GetUtcNow(), new TokenBucket(time, 10));
        dispatcher = new FrameDispatcher(time, NullLogger.Instance);
    }

    private static Frame FrameOf(FrameType type, uint requestId, string json)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        return new Frame(new FrameHeader(type, requestId, payload.Length, 0), new ReadOnlySequence<byte>(payload));
    }

    [TestMethod]
    public async Task AReplyGoesBackUnderTheRequestsId()
    {
        dispatcher.On(FrameType.Block, Json.BlockRequest, (_, request) => ValueTask.FromResult(Reply.Ok($"{request.User} is blocked")));

        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Block, 42, """{"user":"bob"}"""));

        Assert.HasCount(1, link.Frames);
        Assert.AreEqual(42u, link.Frames[0].RequestId);
        Assert.AreEqual("bob is blocked", link.Response(0).Message);
    }

    [TestMethod]
    public async Task AFrameTypeNobodyMappedIsRefusedAndTheLinkStaysOpen()
    {
        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.WhoElse, 7, "{}"));

        var refusal = link.Response(0);
        Assert.AreEqual(StatusCode.BadRequest, refusal.Status);
        Assert.Contains("not a request this server takes", refusal.Message);
        Assert.AreEqual(7u, link.Frames[0].RequestId);
        Assert.IsTrue(link.IsOpen);
    }

    [TestMethod]
    public async Task AMalformedPayloadIsRefusedWithoutCallingTheHandler()
    {
        var called = false;
        dispatcher.On(FrameType.Block, Json.BlockRequest, (_, _) =>
        {
            called = true;
            return ValueTask.FromResult(Reply.None);
        });

        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Block, 3, "{not json"));

        Assert.IsFalse(called);
        Assert.AreEqual("Malformed Block request.", link.Response(0).Message);
        Assert.AreEqual(StatusCode.BadRequest, link.Response(0).Status);
    }

    [TestMethod]
    public async Task OnlyRequestsMarkedAsActivityPostponeTheIdleTimeout()
    {
        dispatcher.On(FrameType.Activity, _ => ValueTask.FromResult(Reply.Ok("noted")));
        dispatcher.On(FrameType.Ping, _ => ValueTask.FromResult(Reply.Ok("pong")), activity: false);
        var loggedIn = session.LastActivity;

        time.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Ping, 1, "{}"));
        Assert.AreEqual(loggedIn, session.LastActivity, "a keep-alive ping is not the user doing something");

        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Activity, 2, "{}"));
        Assert.AreEqual(time.GetUtcNow(), session.LastActivity);
    }

    [TestMethod]
    public async Task AnAsynchronousHandlersReplyIsSentWhenItCompletes()
    {
        var release = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
        dispatcher.On(FrameType.Unblock, Json.UnblockRequest, async (_, _) => await release.Task);

        var handling = dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Unblock, 9, """{"user":"bob"}"""));
        Assert.IsEmpty(link.Frames, "nothing is sent before the handler has decided");

        release.SetResult(Reply.Refuse(StatusCode.Conflict, "bob is not blocked.", Reasons.NotBlocked));
        await handling.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(StatusCode.Conflict, link.Response(0).Status);
        Assert.AreEqual(Reasons.NotBlocked, link.Response(0).Reason);
    }

    [TestMethod]
    public async Task LaterAndNoneSendNothingNow()
    {
        dispatcher.On(FrameType.Activity, _ => ValueTask.FromResult(Reply.Later));
        dispatcher.On(FrameType.Ping, _ => ValueTask.FromResult(Reply.None));

        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Activity, 1, "{}"));
        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Ping, 2, "{}"));

        Assert.IsEmpty(link.Frames);
    }

    [TestMethod]
    public void AFrameTypeMappedTwiceIsAStartUpError()
    {
        dispatcher.On(FrameType.Ping, _ => ValueTask.FromResult(Reply.None));

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => dispatcher.On(FrameType.Ping, _ => ValueTask.FromResult(Reply.None)));
        Assert.Contains("Ping", error.Message);
    }

    [TestMethod]
    public async Task AnActivityIsHandedTheClockReadingItWasStampedWith()
    {
        DateTimeOffset? handed = null;
        dispatcher.On(FrameType.Block, Json.BlockRequest, (context, _) =>
        {
            handed = context.ReceivedAt;
            return ValueTask.FromResult(Reply.None);
        });
        time.Advance(TimeSpan.FromSeconds(42));

        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Block, 1, """{"user":"bob"}"""));

        Assert.AreEqual(time.GetUtcNow(), handed, "the handler uses the dispatcher's reading instead of reading the clock again");
        Assert.AreEqual(handed, session.LastActivity);
    }

    [TestMethod]
    public async Task ARequestThatIsNoActivityIsHandedNoReadingAndLeavesTheActivityTime()
    {
        DateTimeOffset? handed = DateTimeOffset.MaxValue;
        dispatcher.On(FrameType.Block, Json.BlockRequest, (context, _) =>
        {
            handed = context.ReceivedAt;
            return ValueTask.FromResult(Reply.None);
        }, activity: false);
        var before = session.LastActivity;
        time.Advance(TimeSpan.FromSeconds(42));

        await dispatcher.DispatchAsync(session, link, FrameOf(FrameType.Block, 1, """{"user":"bob"}"""));

        Assert.IsNull(handed);
        Assert.AreEqual(before, session.LastActivity);
    }
}

