namespace Messenger.Protocol.Contracts;

/// <summary>Status of a response (docs/PROTOCOL.md §5). The numbers follow HTTP's so they read familiar in logs.</summary>
public enum StatusCode
{
    Ok = 200,
    BadRequest = 400,
    Unauthorized = 401,
    Forbidden = 403,
    NotFound = 404,
    Conflict = 409,
    PayloadTooLarge = 413,
    TooManyRequests = 429,
    ServerError = 500,
    Unavailable = 503,
}
