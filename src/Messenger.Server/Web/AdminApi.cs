using Messenger.Server.Admin;
using Messenger.Server.Auth;
using Messenger.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Messenger.Server.Web;

/// <summary>
/// The dashboard's JSON API under /admin/api. Login goes through the same password check as the protocol (per-address
/// and per-name rate limits, the 3-strike lockout) and then requires the name in AdminUsers. Every POST must come from
/// this site (Origin) and, once logged in, carry the session's CSRF token; the actions are the console's own.
/// </summary>
public sealed class AdminApi(ServerCore chat, AdminSessions sessions)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/admin/api/login", LoginAsync);
        routes.MapGet("/admin/api/session", (HttpContext context) =>
            // Not signed in is an answer, not an error: the page shows its sign-in form.
            Answer(Current(context) is { } session ? new AdminSessionAnswer(session.User, session.CsrfToken) : new AdminSessionAnswer(null, null)));
        routes.MapGet("/admin/api/overview", (HttpContext context) => Current(context) is null ? Results.Unauthorized() : Results.Json(Overview(), AdminJsonContext.Default.AdminOverview));
        MapAction(routes, "logout", (session, _) =>
        {
            sessions.End(session.Id);
            return Task.FromResult("Logged out.");
        });
        MapAction(routes, "kick", async (_, form) =>
            OperatorCommands.Describe(await chat.Operator.KickAsync(form.User ?? ""), form.User ?? ""));
        MapAction(routes, "broadcast", (_, form) =>
            Task.FromResult(string.IsNullOrWhiteSpace(form.Text) ? "Nothing to send." : $"Notice sent to {chat.Operator.NoticeAll(form.Text)} users."));
        MapAction(routes, "send", async (_, form) =>
            string.IsNullOrWhiteSpace(form.Text) ? "Nothing to send."
            : await chat.Operator.SendAsServerAsync(form.User ?? "", form.Text) ? $"Sent to {form.User}." : $"No user named '{form.User}'.");
        MapAction(routes, "remove-room", async (_, form) =>
            await chat.RoomAdmin.RemoveRoomAsync(form.Room ?? "") ? $"{form.Room} was removed." : $"No room named '{form.Room}'.");
    }

    private async Task<IResult> LoginAsync(HttpContext context, AdminForm form)
    {
        if (!WebRequestChecks.SameOrigin(context.Request))
        {
            return Failure(StatusCodes.Status403Forbidden, "Cross-site request refused.");
        }
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!chat.Passwords.AllowAttempt(address))
        {
            return Failure(StatusCodes.Status429TooManyRequests, "Too many login attempts from your address; wait a minute.");
        }
        var user = form.User ?? "";
        var link = new CapturedAnswerLink(address);
        var outcome = await chat.Passwords.CheckAsync(link, 0, user, form.Password ?? "", register: false);
        if (outcome != LoginOutcome.Accepted)
        {
            return Failure(StatusCodes.Status401Unauthorized, link.Refusal ?? "Login refused.");
        }
        if (!chat.Options.AdminUsers.Contains(user, StringComparer.Ordinal))
        {
            return Failure(StatusCodes.Status403Forbidden, $"{user} is not an operator (AdminUsers).");
        }
        var session = sessions.Create(user);
        context.Response.Cookies.Append(AdminSessions.CookieName, session.Id, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/admin",
        });
        return Answer(new AdminSessionAnswer(user, session.CsrfToken));
    }

    private void MapAction(IEndpointRouteBuilder routes, string name, Func<AdminSession, AdminForm, Task<string>> act) =>
        routes.MapPost($"/admin/api/{name}", async (HttpContext context, AdminForm form) =>
        {
            if (!WebRequestChecks.SameOrigin(context.Request))
            {
                return Failure(StatusCodes.Status403Forbidden, "Cross-site request refused.");
            }
            if (Current(context) is not { } session)
            {
                return Results.Unauthorized();
            }
            if (!AdminSessions.CsrfMatches(session, context.Request.Headers[AdminSessions.CsrfHeader]))
            {
                return Failure(StatusCodes.Status403Forbidden, "Missing or wrong CSRF token.");
            }
            return Results.Json(new AdminMessage(await act(session, form)), AdminJsonContext.Default.AdminMessage);
        });

    private AdminSession? Current(HttpContext context) => sessions.Find(context.Request.Cookies[AdminSessions.CookieName]);

    // Answers go through the generated JSON context (no reflection: the server also runs as a Native AOT binary).
    private static IResult Answer(AdminSessionAnswer answer) => Results.Json(answer, AdminJsonContext.Default.AdminSessionAnswer);

    private static IResult Failure(int statusCode, string error) =>
        Results.Json(new AdminError(error), AdminJsonContext.Default.AdminError, statusCode: statusCode);

    private AdminOverview Overview()
    {
        var outbound = Connections.OutboundDepth.Measure(chat.Sessions.All);
        var online = chat.Operator.OnlineUsers();
        return new(
            online.Select(user => user.Name).ToArray(),
            online.Where(user => user.Marks.Length > 0).ToDictionary(user => user.Name, user => user.Marks, StringComparer.Ordinal),
            chat.RoomAdmin.Rooms.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                .Select(r => new AdminRoom(r.Name, r.Members.Length, r.Owner, r.Topic, r.IsPrivate)).ToArray(),
            chat.Stats.OpenConnections,
            chat.Stats.MessagesRouted,
            chat.Stats.MessagesStored,
            chat.Stats.SlowConsumersDisconnected,
            ServerMetrics.LastStoreCommitMilliseconds,
            outbound.TotalBytes,
            outbound.DeepestBytes,
            outbound.DeepestUser,
            chat.Time.GetUtcNow().ToUnixTimeMilliseconds());
    }
}
