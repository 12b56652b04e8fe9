using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>
/// A sender's room messages do not wait for each other's commit (the answer comes when its own commit is done), so a
/// burst shares group commits: this proves that order still holds, every message is answered `accepted` at the next
/// position, and a member sees them all, once, in that order.
/// </summary>
[TestClass]
public sealed class RoomBurstTests
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    [TestMethod]
    public async Task ABurstFromOneSenderIsAcceptedAndDeliveredInTheOrderItWasSent()
    {
        const int burst = 60;
        await using var server = await TestServer.StartAsync(o => o with { MaxRoomMessagesPerSecond = 1000 });
        string[] rooms = [ClientFeatures.Rooms];
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass", Features: rooms));
        await using var bob = await RawConnection.LogInAsync(server, new LoginRequest("bob", "bob-pass", Features: rooms));
        foreach (var (raw, id) in new[] { (alice, 1u), (bob, 1u) })
        {
            await raw.SendAsync(FrameType.JoinRoom, id, new JoinRoomRequest("#burst"), Json.JoinRoomRequest);
            Assert.AreEqual(StatusCode.Ok, (await raw.ReadResponseAsync(id)).AsResponse()?.Status);
        }

        // All written at once, none waiting for an answer: the server reads them while earlier ones are committing.
        var frames = Enumerable.Range(0, burst)
            .SelectMany(i => FrameEncoder.ToArray(FrameType.RoomMessage, (uint)(100 + i), new RoomMessageRequest("#burst", $"m{i:D2}", i + 1), Json.RoomMessageRequest))
            .ToArray();
        await alice.SendBytesAsync(frames);

        var answers = new Dictionary<uint, string>();
        while (answers.Count < burst)
        {
            var frame = await alice.ReadFrameAsync() ?? throw new AssertFailedException("alice's connection closed");
            if (frame is { Type: FrameType.Response, RequestId: >= 100 })
            {
                answers[frame.RequestId] = frame.AsResponse()!.Message;
            }
        }
        var positions = Enumerable.Range(0, burst).Select(i => answers[(uint)(100 + i)]).ToList();
        Assert.IsTrue(positions.All(p => p.StartsWith("accepted ", StringComparison.Ordinal)), string.Join(", ", positions));
        var numbers = positions.Select(p => long.Parse(p["accepted ".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(0, burst).Select(i => numbers[0] + i).ToList(), numbers, "positions follow the order sent");

        var seen = new List<string>();
        while (seen.Count < burst)
        {
            var frame = await bob.ReadFrameAsync() ?? throw new AssertFailedException("bob's connection closed");
            if (frame.Type == FrameType.RoomMessageEvent)
            {
                seen.Add(frame.Read(Json.RoomMessageEvent).Text);
            }
        }
        CollectionAssert.AreEqual(Enumerable.Range(0, burst).Select(i => $"m{i:D2}").ToList(), seen);
    }
}
