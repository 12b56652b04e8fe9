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
            Current(context) is { } session ? Results.Json(new { user = session.User, csrf = session.CsrfToken }) : Results.Json(new { user = (string?)null }));
        routes.MapGet("/admin/api/overview", (HttpContext context) => Current(context) is null ? Results.Unauthorized() : Results.Json(Overview()));
        MapAction(routes, "logout", (session, _) =>
        {
            sessions.End(session.Id);
            return Task.FromResult("Logged out.");
        });
        MapAction(routes, "kick", async (_, form) =>
            await chat.Operator.KickAsync(form.User ?? "") ? $"{form.User} was disconnected." : $"{form.User} is not online.");
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
            return Results.Json(new { error = "Cross-site request refused." }, statusCode: StatusCodes.Status403Forbidden);
        }
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!chat.Passwords.AllowAttempt(address))
        {
            return Results.Json(new { error = "Too many login attempts from your address; wait a minute." }, statusCode: StatusCodes.Status429TooManyRequests);
        }
        var user = form.User ?? "";
        var link = new CapturedAnswerLink(address);
        var outcome = await chat.Passwords.CheckAsync(link, 0, user, form.Password ?? "", register: false);
        if (outcome != LoginOutcome.Accepted)
        {
            return Results.Json(new { error = link.Refusal ?? "Login refused." }, statusCode: StatusCodes.Status401Unauthorized);
        }
        if (!chat.Options.AdminUsers.Contains(user, StringComparer.Ordinal))
        {
            return Results.Json(new { error = $"{user} is not an operator (AdminUsers)." }, statusCode: StatusCodes.Status403Forbidden);
        }
        var session = sessions.Create(user);
        context.Response.Cookies.Append(AdminSessions.CookieName, session.Id, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/admin",
        });
        return Results.Json(new { user, csrf = session.CsrfToken });
    }

    private void MapAction(IEndpointRouteBuilder routes, string name, Func<AdminSession, AdminForm, Task<string>> act) =>
        routes.MapPost($"/admin/api/{name}", async (HttpContext context, AdminForm form) =>
        {
            if (!WebRequestChecks.SameOrigin(context.Request))
            {
                return Results.Json(new { error = "Cross-site request refused." }, statusCode: StatusCodes.Status403Forbidden);
            }
            if (Current(context) is not { } session)
            {
                return Results.Unauthorized();
            }
            if (!AdminSessions.CsrfMatches(session, context.Request.Headers[AdminSessions.CsrfHeader]))
            {
                return Results.Json(new { error = "Missing or wrong CSRF token." }, statusCode: StatusCodes.Status403Forbidden);
            }
            return Results.Json(new { message = await act(session, form) });
        });

    private AdminSession? Current(HttpContext context) => sessions.Find(context.Request.Cookies[AdminSessions.CookieName]);

    private object Overview()
    {
        var outbound = Connections.OutboundDepth.Measure(chat.Sessions.All);
        return new
        {
            online = chat.Sessions.All.Select(s => s.User).Order(StringComparer.Ordinal).ToArray(),
            rooms = chat.RoomAdmin.Rooms.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                .Select(r => new { name = r.Name, members = r.Members.Length, owner = r.Owner, topic = r.Topic, isPrivate = r.IsPrivate }).ToArray(),
            connections = chat.Stats.OpenConnections,
            messagesRouted = chat.Stats.MessagesRouted,
            messagesStored = chat.Stats.MessagesStored,
            slowConsumers = chat.Stats.SlowConsumersDisconnected,
            storeCommitMs = ServerMetrics.LastStoreCommitMilliseconds,
            queuedBytes = outbound.TotalBytes,
            deepestQueueBytes = outbound.DeepestBytes,
            deepestQueueUser = outbound.DeepestUser,
            serverTimeUnixMs = chat.Time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
    }
}

/// <summary>The fields the dashboard's forms post (each action reads the ones it needs).</summary>
public sealed record AdminForm(string? User, string? Password, string? Text, string? Room);
