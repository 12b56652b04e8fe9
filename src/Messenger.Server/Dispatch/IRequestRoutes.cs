namespace Messenger.Server.Dispatch;

/// <summary>A feature handler that takes requests: it maps its frame types to its methods once, at start.</summary>
public interface IRequestRoutes
{
    void Map(FrameDispatcher dispatcher);
}
