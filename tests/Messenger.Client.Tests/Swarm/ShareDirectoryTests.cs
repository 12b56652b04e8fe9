using Messenger.Client.Swarm;

namespace Messenger.Client.Tests.Swarm;

[TestClass]
public sealed class ShareDirectoryTests : IDisposable
{
    private SwarmTestFolder folder = null!;

    [TestInitialize]
    public void CreateFolder() => folder = new SwarmTestFolder();

    /// <summary>MSTest disposes the class after each test: the folder goes with it.</summary>
    public void Dispose() => folder.Dispose();

    [TestMethod]
    [DataRow("..")]
    [DataRow("../x")]
    [DataRow("a/../../x")]
    [DataRow("/etc/passwd")]
    [DataRow("C:\\x")]
    [DataRow("C:x")]
    [DataRow("a\\b")]
    [DataRow("")]
    [DataRow(".")]
    [DataRow("a//b")]
    [DataRow("a/./b")]
    [DataRow("sub/")]
    [DataRow("bell\u0007")]
    [DataRow("line\nbreak")]
    public void NamesThatCouldLeaveTheShareFolderAreRefusedWithAReason(string name)
    {
        Assert.IsFalse(ShareDirectory.IsSafeName(name, out var error));
        Assert.IsFalse(string.IsNullOrWhiteSpace(error));
    }

    [TestMethod]
    public void ErrorsSayWhatIsWrong()
    {
        ShareDirectory.IsSafeName("../x", out var error);
        Assert.AreEqual("'../x' leaves the share folder ('..' is not allowed).", error);
        Assert.IsFalse(ShareDirectory.IsSafeName(new string('a', 256), out error));
        StringAssert.Contains(error, "255");
    }

    [TestMethod]
    [DataRow("file.txt")]
    [DataRow("sub/file.txt")]
    [DataRow("a..b/.hidden")]
    [DataRow("names with spaces/é.txt")]
    public void RelativeNamesInsideTheFolderAreAccepted(string name) => Assert.IsTrue(ShareDirectory.IsSafeName(name, out _));

    [TestMethod]
    public async Task AFileInASubfolderResolvesToItsFullPath()
    {
        var share = new ShareDirectory(folder.PathOf("share"));
        var inside = await folder.WriteAsync("share/sub/file.txt", [4]);
        Assert.IsTrue(share.TryResolveExisting("sub/file.txt", out var path, out var error), error);
        Assert.AreEqual(inside, path);
    }

    [TestMethod]
    public async Task ALinkInsideTheShareThatPointsOutsideIsRefused()
    {
        var share = new ShareDirectory(folder.PathOf("share"));
        var outside = await folder.WriteAsync("outside.txt", [1, 2, 3]);
        File.CreateSymbolicLink(Path.Combine(share.Root, "link.txt"), outside);
        Assert.IsFalse(share.TryResolveExisting("link.txt", out var path, out var error));
        Assert.AreEqual("", path);
        StringAssert.Contains(error, "leads out of the share folder");
    }

    [TestMethod]
    public async Task ALinkedFolderThatLeadsOutsideIsRefused()
    {
        var share = new ShareDirectory(folder.PathOf("share"));
        await folder.WriteAsync("secrets/key.txt", [1]);
        Directory.CreateSymbolicLink(Path.Combine(share.Root, "sub"), folder.PathOf("secrets"));
        Assert.IsFalse(share.TryResolveExisting("sub/key.txt", out _, out var error));
        StringAssert.Contains(error, "leads out of the share folder");
    }

    [TestMethod]
    public async Task ALinkThatStaysInsideResolvesToTheRealFile()
    {
        var share = new ShareDirectory(folder.PathOf("share"));
        var real = await folder.WriteAsync("share/real.txt", [1]);
        File.CreateSymbolicLink(Path.Combine(share.Root, "alias.txt"), "real.txt");
        Assert.IsTrue(share.TryResolveExisting("alias.txt", out var path, out var error), error);
        Assert.AreEqual(real, path);
    }

    [TestMethod]
    public void AFolderOrAMissingFileIsNotServed()
    {
        var share = new ShareDirectory(folder.PathOf("share"));
        Directory.CreateDirectory(Path.Combine(share.Root, "dir"));
        Assert.IsFalse(share.TryResolveExisting("dir", out _, out var error));
        StringAssert.Contains(error, "is a folder");
        Assert.IsFalse(share.TryResolveExisting("missing.txt", out _, out error));
        StringAssert.Contains(error, "is not in the share folder");
        Assert.IsFalse(share.TryResolveExisting("../share/dir", out _, out error));
    }

    [TestMethod]
    public void TheFolderIsCreatedWhenMissing()
    {
        var share = new ShareDirectory(folder.PathOf("new/share"));
        Assert.IsTrue(Directory.Exists(share.Root));
        Assert.IsTrue(Path.IsPathFullyQualified(share.Root));
    }
}
