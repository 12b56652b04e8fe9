using Messenger.Client.Commands;

namespace Messenger.Client.Tests.Commands;

[TestClass]
public sealed class CommandParserTests
{
    [TestMethod]
    public void MessageKeepsTheTextsSpacingAndUnicode()
    {
        var command = CommandParser.Parse("message bob  two  spaces ✓ ").Command!;
        Assert.AreEqual(new ClientCommand(CommandKind.Message, "bob", " two  spaces ✓ "), command);
    }

    [TestMethod]
    [DataRow("message")]
    [DataRow("message bob")]
    [DataRow("message bob    ")]
    [DataRow("broadcast")]
    [DataRow("block")]
    [DataRow("block a b")]
    [DataRow("unblock")]
    [DataRow("whoelse now")]
    [DataRow("whoelsesince")]
    [DataRow("whoelsesince -1")]
    [DataRow("whoelsesince ten")]
    [DataRow("whoelsesince 1.5")]
    [DataRow("logout please")]
    public void MissingOrWrongArgumentsGiveUsage(string line)
    {
        var result = CommandParser.Parse(line);
        Assert.IsNull(result.Command);
        StringAssert.StartsWith(result.Error, "Usage: ");
    }

    [TestMethod]
    [DataRow("Message bob hi")]
    [DataRow("send bob hi")]
    [DataRow("WHOELSE")]
    public void UnknownOrMiscasedCommandsPointAtHelp(string line)
    {
        var result = CommandParser.Parse(line);
        Assert.IsNull(result.Command);
        StringAssert.Contains(result.Error, "Invalid command");
        StringAssert.Contains(result.Error, "help");
    }

    [TestMethod]
    public void EmptyLinesAreIgnored()
    {
        Assert.AreEqual(CommandParseResult.Empty, CommandParser.Parse("   "));
    }

    [TestMethod]
    public void EveryCommandParses()
    {
        Assert.AreEqual(CommandKind.Broadcast, CommandParser.Parse("broadcast hi all").Command!.Kind);
        Assert.AreEqual(CommandKind.WhoElse, CommandParser.Parse("whoelse").Command!.Kind);
        Assert.AreEqual(new ClientCommand(CommandKind.WhoElseSince, Seconds: 300), CommandParser.Parse("whoelsesince 300").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Block, "bob"), CommandParser.Parse("block bob").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Unblock, "bob"), CommandParser.Parse("unblock bob").Command);
        Assert.AreEqual(CommandKind.Logout, CommandParser.Parse("logout").Command!.Kind);
        Assert.AreEqual(CommandKind.Help, CommandParser.Parse("help").Command!.Kind);
    }
}
