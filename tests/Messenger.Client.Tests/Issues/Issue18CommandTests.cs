using Messenger.Client.Commands;

namespace Messenger.Client.Tests.Issues;

/// <summary>Issue 18's commands parse like the others: one user argument, or none, or a fixed word.</summary>
[TestClass]
public sealed class Issue18CommandTests
{
    [TestMethod]
    public void TheNewCommandsParse()
    {
        Assert.AreEqual(new ClientCommand(CommandKind.PrivateMode), CommandParser.Parse("privatemode").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.PrivateMode, Text: "ask"), CommandParser.Parse("privatemode ask").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.PrivateMode, Text: "open"), CommandParser.Parse("privatemode  open ").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.AcceptPrivate, "bob"), CommandParser.Parse("acceptprivate bob").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.DeclinePrivate, "bob"), CommandParser.Parse("declineprivate bob").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Privates), CommandParser.Parse("privates").Command);
        Assert.AreEqual(new ClientCommand(CommandKind.Version), CommandParser.Parse("version").Command);
    }

    [TestMethod]
    [DataRow("privatemode closed", "Usage: privatemode [ask|open]")]
    [DataRow("privatemode ask now", "Usage: privatemode [ask|open]")]
    [DataRow("acceptprivate", "Usage: acceptprivate <user>")]
    [DataRow("declineprivate a b", "Usage: declineprivate <user>")]
    [DataRow("privates all", "Usage: privates")]
    [DataRow("version 2", "Usage: version")]
    public void WrongArgumentsGiveTheirUsage(string line, string usage)
    {
        var result = CommandParser.Parse(line);
        Assert.IsNull(result.Command);
        Assert.AreEqual(usage, result.Error);
    }

    [TestMethod]
    public void HelpListsEveryNewCommand()
    {
        var usages = CommandParser.Help.Select(h => h.Usage).ToList();
        CollectionAssert.IsSubsetOf(new[] { "privatemode [ask|open]", "acceptprivate <user>", "declineprivate <user>", "privates", "version" }, usages);
    }
}
