using Messenger.Client.Commands;

namespace Messenger.Client.Tests.Commands;

/// <summary>The room and history commands: what each line becomes, and usage for what is missing.</summary>
[TestClass]
public sealed class RoomCommandParserTests
{
    [TestMethod]
    public void AMessageToAHashNameGoesToTheRoomWithItsSpacingKept()
    {
        Assert.AreEqual(new ClientCommand(CommandKind.RoomMessage, "#team", " two  spaces ✓"), CommandParser.Parse("message #team  two  spaces ✓").Command);
        Assert.AreEqual(CommandKind.Message, CommandParser.Parse("message bob hi").Command!.Kind);
    }

    [TestMethod]
    public void EachRoomCommandCarriesItsArguments()
    {
        Assert.AreEqual(new ClientCommand(CommandKind.Join, "#team"), CommandParser.Parse("join #team").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Leave, "#team"), CommandParser.Parse("leave #team ").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Rooms), CommandParser.Parse("rooms").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Members, "#team"), CommandParser.Parse("members #team").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Topic, "#team"), CommandParser.Parse("topic #team").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Topic, "#team", "ship it  now"), CommandParser.Parse("topic #team  ship it  now ").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Invite, "#team", "bob"), CommandParser.Parse("invite #team bob").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Kick, "#team", "bob"), CommandParser.Parse("kick  #team  bob").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.RoomMode, "#team", "private"), CommandParser.Parse("roommode #team private").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Invisible, Text: "on"), CommandParser.Parse("invisible on").Command);
    }

    [TestMethod]
    public void HistoryShowsTwentyUnlessToldAndAtMostFiveHundred()
    {
        Assert.AreEqual(new ClientCommand(CommandKind.History, "#team", Count: 20), CommandParser.Parse("history #team").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.History, "bob", Count: 500), CommandParser.Parse("history bob 500").Command);
    }

    [TestMethod]
    [DataRow("join")]
    [DataRow("join #a #b")]
    [DataRow("leave")]
    [DataRow("members")]
    [DataRow("rooms all")]
    [DataRow("topic")]
    [DataRow("invite #team")]
    [DataRow("kick #team")]
    [DataRow("kick #team bob carol")]
    [DataRow("roommode #team")]
    [DataRow("roommode #team secret")]
    [DataRow("history")]
    [DataRow("history #team 0")]
    [DataRow("history #team 501")]
    [DataRow("history #team -3")]
    [DataRow("history #team 2 3")]
    [DataRow("invisible")]
    [DataRow("invisible yes")]
    [DataRow("message #team")]
    public void MissingOrWrongArgumentsGiveUsage(string line)
    {
        var result = CommandParser.Parse(line);

        Assert.IsNull(result.Command);
        StringAssert.StartsWith(result.Error, "Usage: ");
    }

    [TestMethod]
    public void HelpListsEveryRoomCommand()
    {
        var usages = CommandParser.Help.Select(h => h.Usage.Split(' ')[0]).ToHashSet();

        foreach (var command in new[] { "join", "leave", "rooms", "members", "topic", "invite", "kick", "roommode", "history", "invisible" })
        {
            Assert.Contains(command, usages);
        }
        Assert.IsTrue(CommandParser.Help.Any(h => h.Usage == "message <#room> <text>"));
    }
}
