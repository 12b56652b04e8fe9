namespace Messenger.Security.Tests;

[TestClass]
public sealed class KnownServersTests
{
    private static readonly string KeyA = Fingerprints.Format(Enumerable.Repeat((byte)0xAA, 32).ToArray());
    private static readonly string KeyB = Fingerprints.Format(Enumerable.Repeat((byte)0xBB, 32).ToArray());

    [TestMethod]
    public void Check_UnknownServer_IsFirstUseAndPinsIt_ThenMatches()
    {
        using var folder = new TempFolder();
        var known = new KnownServers(folder.Path);

        var first = known.Check("chat.example", 5000, KeyA);
        var second = known.Check("chat.example", 5000, KeyA.ToLowerInvariant());

        Assert.AreEqual(PinStatus.FirstUse, first.Status);
        Assert.IsTrue(first.IsTrusted);
        Assert.IsNull(first.Expected);
        Assert.AreEqual(PinStatus.Match, second.Status);
        Assert.IsTrue(second.IsTrusted);
        Assert.AreEqual(KeyA, known.Lookup("chat.example", 5000));
    }

    [TestMethod]
    public void Check_ChangedKey_IsMismatch_WithBothFingerprints_AndKeepsTheOldPin()
    {
        using var folder = new TempFolder();
        var known = new KnownServers(folder.Path);
        known.Pin("chat.example", 5000, KeyA);

        var check = known.Check("chat.example", 5000, KeyB);

        Assert.AreEqual(PinStatus.Mismatch, check.Status);
        Assert.IsFalse(check.IsTrusted);
        var (pinned, presented) = (check.Expected, check.Actual);
        Assert.AreEqual(KeyA, pinned);
        Assert.AreEqual(KeyB, presented);
        StringAssert.Contains(check.Message, "CHANGED");
        StringAssert.Contains(check.Message, "chat.example:5000");
        Assert.AreEqual(KeyA, known.Lookup("chat.example", 5000));
    }

    [TestMethod]
    public void Forget_RemovesThePin_SoTheNextCheckIsFirstUseAgain()
    {
        using var folder = new TempFolder();
        var known = new KnownServers(folder.Path);
        known.Pin("chat.example", 5000, KeyA);

        Assert.IsTrue(known.Forget("chat.example", 5000));
        Assert.IsFalse(known.Forget("chat.example", 5000));

        Assert.IsNull(known.Lookup("chat.example", 5000));
        Assert.AreEqual(PinStatus.FirstUse, known.Check("chat.example", 5000, KeyB).Status);
    }

    [TestMethod]
    public void Pins_PersistInTheStateFolder_InKnownHostsFormat_OwnerOnly()
    {
        using var folder = new TempFolder();
        var stateFolder = Path.Combine(folder.Path, "state", "messenger");
        new KnownServers(stateFolder).Pin("Chat.Example", 5000, KeyA.Replace(":", "", StringComparison.Ordinal));
        new KnownServers(stateFolder).Pin("127.0.0.1", 6000, KeyB);

        var reopened = new KnownServers(stateFolder);

        Assert.AreEqual(KeyA, reopened.Lookup("chat.example", 5000));
        Assert.AreEqual(KeyB, reopened.Lookup("127.0.0.1", 6000));
        var path = Path.Combine(stateFolder, "known_servers");
        Assert.AreEqual(path, reopened.FilePath);
        var entries = File.ReadAllLines(path).Where(l => !l.StartsWith('#')).ToArray();
        CollectionAssert.AreEqual(new[] { $"chat.example:5000 sha256-spki {KeyA}", $"127.0.0.1:6000 sha256-spki {KeyB}" }, entries);
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.HasCount(1, Directory.GetFiles(stateFolder), "no temporary file is left behind");
    }

    [TestMethod]
    public void Pins_AreKeyedByHostAndPort()
    {
        using var folder = new TempFolder();
        var known = new KnownServers(folder.Path);
        known.Pin("localhost", 5000, KeyA);

        Assert.IsNull(known.Lookup("localhost", 5001));
        Assert.IsNull(known.Lookup("127.0.0.1", 5000));
        Assert.AreEqual(KeyA, known.Lookup("LOCALHOST", 5000));
    }

    [TestMethod]
    public void Pin_IPv6Host_IsBracketed_AndFoundInAnySpelling()
    {
        using var folder = new TempFolder();
        var known = new KnownServers(folder.Path);

        known.Pin("::1", 5000, KeyA);

        Assert.AreEqual("[::1]:5000", KnownServers.FormatEndpoint("0:0:0:0:0:0:0:1", 5000));
        Assert.AreEqual(KeyA, known.Lookup("[::1]", 5000));
        Assert.AreEqual(KeyA, known.Lookup("0:0:0:0:0:0:0:1", 5000));
    }

    [TestMethod]
    public void Pin_ReplacesThatServersPin_AndKeepsCommentsAndOtherLines()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, KnownServers.FileName);
        File.WriteAllText(path, $"# my servers\nother:1 sha256-spki {KeyB}\nchat.example:5000 sha256-spki {KeyA}\nfuture:2 sha512-spki XYZ\n");
        var known = new KnownServers(folder.Path);

        known.Pin("chat.example", 5000, KeyB);

        CollectionAssert.AreEqual(
            new[] { "# my servers", $"other:1 sha256-spki {KeyB}", "future:2 sha512-spki XYZ", $"chat.example:5000 sha256-spki {KeyB}" },
            File.ReadAllLines(path));
    }

    [TestMethod]
    public void Lookup_DamagedPinForThatServer_IsAnError_NotASilentFirstUse()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, KnownServers.FileName), "chat.example:5000 sha256-spki NOT-A-FINGERPRINT\n");
        var known = new KnownServers(folder.Path);

        Assert.ThrowsExactly<InvalidDataException>(() => known.Check("chat.example", 5000, KeyA));
        Assert.IsNull(known.Lookup("other.example", 5000));
    }

    [TestMethod]
    [DataRow("", 5000)]
    [DataRow("two words", 5000)]
    [DataRow("host#comment", 5000)]
    [DataRow("a:b", 5000)]
    [DataRow("localhost", 0)]
    [DataRow("localhost", 65536)]
    public void FormatEndpoint_RefusesHostsAndPortsThatWouldCorruptTheFile(string host, int port)
    {
        Assert.Throws<ArgumentException>(() => KnownServers.FormatEndpoint(host, port));
    }

    [TestMethod]
    public void Check_GarbageFingerprint_IsAnArgumentError()
    {
        using var folder = new TempFolder();

        Assert.ThrowsExactly<ArgumentException>(() => new KnownServers(folder.Path).Check("localhost", 5000, "nope"));
    }
}
