namespace Messenger.Server.Web;

/// <summary>The fields the dashboard's forms post (each action reads the ones it needs).</summary>
public sealed record AdminForm(string? User, string? Password, string? Text, string? Room);

/// <summary>Who is signed in to the dashboard (both null when nobody is) and the session's CSRF token.</summary>
public sealed record AdminSessionAnswer(string? User, string? Csrf);

/// <summary>Why a dashboard request was refused.</summary>
public sealed record AdminError(string Error);

/// <summary>The one-line outcome of a dashboard action.</summary>
public sealed record AdminMessage(string Message);

/// <summary>A room as the dashboard lists it.</summary>
public sealed record AdminRoom(string Name, int Members, string? Owner, string Topic, bool IsPrivate);

/// <summary>The dashboard's figures, polled every second (queued: outbound bytes waiting on every link, and the deepest link's).</summary>
/// <param name="Marks">Per online user that has any: "guest", "reconnecting", "on n2" (the node holding it, in a cluster).</param>
public sealed record AdminOverview(string[] Online, Dictionary<string, string> Marks, AdminRoom[] Rooms, long Connections, long MessagesRouted, long MessagesStored,
    long SlowConsumers, double StoreCommitMs, long QueuedBytes, long DeepestQueueBytes, string? DeepestQueueUser, long ServerTimeUnixMs);
