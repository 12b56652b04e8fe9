using System.Text.Json;
using Messenger.Protocol.Contracts;
using Messenger.Server.Cluster;
using Messenger.Server.Private;
using Messenger.Server.Swarm;

namespace Messenger.Server.Tests.Cluster;

/// <summary>The in-memory bus hands items over as objects; Redis carries them as JSON (all but a crossing's own, see ClusterItemCodec). These prove that JSON keeps every item whole.</summary>
[TestClass]
public sealed class ClusterItemsWireTests
{
    [TestMethod]
    public void BrokeringRoomInvisibilityAndOperatorItemsComeBackFromTheRedisJsonAsTheSameKindsWithTheSameValues()
    {
        var manifest = new FileManifest("movie.bin", 150_000, 65_536, ["aa", "bb", "cc"]);
        ClusterItem[] items =
        [
            new PrivateOfferItem(1, "alice", "ab:cd", "bob") { From = "n1" },
            new PrivateOfferReply(1, new PrivateOffer(new PrivateGrant("bob", "127.0.0.3", 4000, "ef:01", "ticket"))),
            new PrivateOfferReply(2, new PrivateOffer(Pending: new PrivatePending("bob", 60))),
            new PrivateOfferReply(3, PrivateOffer.Refused(StatusCode.Forbidden, "blocked", Reasons.BlockedByRecipient)),
            new PrivateConsentItem("alice", new PrivateConsent("bob", ConsentOutcome.Declined)),
            new PrivateModeEvent("bob", PrivateMode.Ask),
            new HolderQueryItem(4, "alice", "movie.bin", null),
            new HolderListReply(4, [new SwarmHolding("id", manifest, [new SwarmOwner("carol", "127.0.0.4", 4001, "12:34", [0, 2])])]),
            new SwarmReportEvent("alice", "id", "carol"),
            new RoomChangedEvent(7, "bob joined #ops", "bob", null),
            new RoomAppendedEvent(7),
            new InvisibleEvent("bob", true),
            new KickItem(5, "bob"),
            new KickReply(5, true),
            new NoticeEvent("maintenance at noon"),
        ];

        var json = JsonSerializer.Serialize(items, ClusterJsonContext.Default.ClusterItemArray);
        var back = JsonSerializer.Deserialize(json, ClusterJsonContext.Default.ClusterItemArray)!;

        CollectionAssert.AreEqual(items.Select(i => i.GetType()).ToArray(), back.Select(i => i.GetType()).ToArray());
        Assert.AreEqual(json, JsonSerializer.Serialize(back, ClusterJsonContext.Default.ClusterItemArray));
        Assert.AreEqual("n1", back[0].From);
        Assert.AreEqual(2, ((HolderListReply)back[7]).Holdings[0].Owners[0].Chunks[1]);
        Assert.AreEqual(StatusCode.Forbidden, ((PrivateOfferReply)back[3]).Offer.Status);
        Assert.IsTrue(((KickReply)back[13]).Kicked);
    }
}
