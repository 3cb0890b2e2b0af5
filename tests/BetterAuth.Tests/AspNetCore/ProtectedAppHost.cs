using System.Security.Claims;
using BetterAuth.AspNetCore;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Events;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.Organization;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BetterAuth.Tests.AspNetCore;

/// <summary>
/// A host app that mounts Better Auth (admin and organization plugins on) and protects endpoints of its own with it:
/// <c>/app/me</c> (any session), <c>/app/admin</c> (role admin), <c>/app/admin-plugin</c> (admin as the plugin counts),
/// <c>/app/ban</c> (admin permission user:ban), <c>/app/invite</c> (organization permission invitation:create),
/// <c>/app/files</c> (an API key with files:read and files:write).
/// Every event and database hook is recorded.
/// </summary>
public sealed class ProtectedAppHost : IAsyncDisposable
{
    public const string Origin = AuthTestHost.Origin;

    private readonly WebApplication _app;
    private readonly string _dir;

    private ProtectedAppHost(WebApplication app, string dir, FakeTimeProvider clock, RecordingSender outbox, EventRecorder events, HookRecorder hooks)
    {
        _app = app;
        _dir = dir;
        Clock = clock;
        Outbox = outbox;
        Events = events;
        Hooks = hooks;
    }

    public FakeTimeProvider Clock { get; }
    public RecordingSender Outbox { get; }
    public EventRecorder Events { get; }
    public HookRecorder Hooks { get; }
    public IServiceProvider Services => _app.Services;
    public BetterAuthApi Api => Services.GetRequiredService<BetterAuthApi>();

    public static async Task<ProtectedAppHost> StartAsync(Action<BetterAuthOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var dir = Directory.CreateTempSubdirectory("ba-aspnet-").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IPasswordHasher, FastTestHasher>();
        var outbox = new RecordingSender();
        builder.Services.AddSingleton<IAuthMessageSender>(outbox);
        var events = new EventRecorder();
        var hooks = new HookRecorder();
        builder.Services.AddBetterAuthEvents(events);
        builder.Services.AddSingleton<IAuthLifecycle>(hooks);
        services?.Invoke(builder.Services);
        builder.Services.AddBetterAuth(o =>
        {
            o.Database.MigrateOnStart = true;
            o.BaseUrl = Origin;
            o.Secret = AuthTestHost.Secret;
            o.RateLimit.Enabled = false;
            o.Database.ConnectionString = $"Data Source={Path.Combine(dir, "auth.db")}";
            o.User.DeleteUser.Enabled = true;
            o.Plugins.Add(new AdminPlugin());
            o.Plugins.Add(new OrganizationPlugin());
            configure?.Invoke(o);
        }).UseSqlite();
        builder.Services.AddAuthentication().AddBetterAuth();
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("admin-role", p => p.RequireBetterAuthRole("admin"));
            o.AddPolicy("admin-plugin", p => p.RequireBetterAuthAdmin());
            o.AddPolicy("ban", p => p.RequireAdminPermission("user", "ban"));
            o.AddPolicy("invite", p => p.RequireOrganizationPermission("invitation", "create"));
            o.AddPolicy("files-write", p => p.RequireApiKeyPermission("files", "read", "write"));
        });

        var app = builder.Build();
        app.Use((http, next) =>
        {
            http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(http.Request.Headers["X-Test-Ip"].FirstOrDefault() ?? "127.0.0.1");
            return next(http);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapBetterAuth();
        app.MapGet("/app/public", (ClaimsPrincipal user) => Results.Json(new { authenticated = user.Identity?.IsAuthenticated == true }));
        app.MapGet("/app/me", (HttpContext http) => Results.Json(Describe(http))).RequireAuthorization();
        app.MapGet("/app/admin", () => Results.Json(new { ok = true })).RequireAuthorization("admin-role");
        app.MapGet("/app/admin-plugin", () => Results.Json(new { ok = true })).RequireAuthorization("admin-plugin");
        app.MapGet("/app/ban", () => Results.Json(new { ok = true })).RequireAuthorization("ban");
        app.MapPost("/app/invite", () => Results.Json(new { ok = true })).RequireAuthorization("invite");
        app.MapGet("/app/files", () => Results.Json(new { ok = true })).RequireAuthorization("files-write");
        await app.StartAsync();
        return new ProtectedAppHost(app, dir, clock, outbox, events, hooks);
    }

    /// <summary>What the protected endpoint saw: the claims and the session rows behind them.</summary>
    private static object Describe(HttpContext http)
    {
        var user = http.User;
        var session = http.GetBetterAuthSession();
        return new
        {
            id = user.FindFirstValue(ClaimTypes.NameIdentifier),
            sub = user.FindFirstValue("sub"),
            name = user.Identity?.Name,
            email = user.FindFirstValue(ClaimTypes.Email),
            emailVerified = user.FindFirstValue(BetterAuthClaimTypes.EmailVerified),
            sid = user.FindFirstValue(BetterAuthClaimTypes.SessionId),
            roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
            isAdmin = user.IsInRole("admin"),
            activeOrganizationId = user.GetActiveOrganizationId(),
            impersonatedBy = user.FindFirstValue(BetterAuthClaimTypes.ImpersonatedBy),
            scheme = user.Identity?.AuthenticationType,
            rowUserId = session?.User.Id,
            rowSessionToken = session?.Session.Token,
            apiKeyId = user.FindFirstValue(BetterAuthClaimTypes.ApiKeyId),
            apiKeyPermissions = user.FindAll(BetterAuthClaimTypes.ApiKeyPermission).Select(c => c.Value).ToArray(),
        };
    }

    public TestClient Client() => new(_app.GetTestServer().CreateClient(), Origin);

    public async Task<T> WithDbAsync<T>(Func<AuthDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AuthDbContext>());
    }

    public Task SetRoleAsync(string userId, string role) => WithDbAsync(db =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string>(u, "role"), role)));

    /// <summary>A signed-up (and so signed-in) browser; returns it with the user id.</summary>
    public async Task<(TestClient Client, string Id)> UserAsync(string email, string? role = null)
    {
        var client = Client();
        var id = (await client.SignUpAsync(email))["user"]!["id"]!.GetValue<string>();
        if (role is not null) await SetRoleAsync(id, role);
        return (client, id);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Records every event, with the <see cref="IBetterAuthEvents"/> method that received it.</summary>
public sealed class EventRecorder : IBetterAuthEvents
{
    private readonly List<(string Method, AuthEvent Event)> _calls = new();

    public IReadOnlyList<(string Method, AuthEvent Event)> Calls { get { lock (_calls) return _calls.ToList(); } }
    public List<T> Of<T>() where T : AuthEvent => Calls.Where(c => c.Method != nameof(OnEventAsync)).Select(c => c.Event).OfType<T>().ToList();
    public List<AuthEvent> All => Calls.Where(c => c.Method == nameof(OnEventAsync)).Select(c => c.Event).ToList();
    public void Clear() { lock (_calls) _calls.Clear(); }

    private ValueTask Add(string method, AuthEvent e) { lock (_calls) _calls.Add((method, e)); return default; }

    public ValueTask OnUserCreatedAsync(UserCreatedEvent e, CancellationToken ct) => Add(nameof(OnUserCreatedAsync), e);
    public ValueTask OnSignedInAsync(SignedInEvent e, CancellationToken ct) => Add(nameof(OnSignedInAsync), e);
    public ValueTask OnSignedOutAsync(SignedOutEvent e, CancellationToken ct) => Add(nameof(OnSignedOutAsync), e);
    public ValueTask OnPasswordChangedAsync(PasswordChangedEvent e, CancellationToken ct) => Add(nameof(OnPasswordChangedAsync), e);
    public ValueTask OnPasswordResetAsync(PasswordResetEvent e, CancellationToken ct) => Add(nameof(OnPasswordResetAsync), e);
    public ValueTask OnSessionRevokedAsync(SessionRevokedEvent e, CancellationToken ct) => Add(nameof(OnSessionRevokedAsync), e);
    public ValueTask OnEmailVerifiedAsync(EmailVerifiedEvent e, CancellationToken ct) => Add(nameof(OnEmailVerifiedAsync), e);
    public ValueTask OnUserDeletedAsync(UserDeletedEvent e, CancellationToken ct) => Add(nameof(OnUserDeletedAsync), e);
    public ValueTask OnUserBannedAsync(UserBannedEvent e, CancellationToken ct) => Add(nameof(OnUserBannedAsync), e);
    public ValueTask OnUserUnbannedAsync(UserUnbannedEvent e, CancellationToken ct) => Add(nameof(OnUserUnbannedAsync), e);
    public ValueTask OnOrganizationCreatedAsync(OrganizationCreatedEvent e, CancellationToken ct) => Add(nameof(OnOrganizationCreatedAsync), e);
    public ValueTask OnOrganizationDeletedAsync(OrganizationDeletedEvent e, CancellationToken ct) => Add(nameof(OnOrganizationDeletedAsync), e);
    public ValueTask OnMemberAddedAsync(MemberAddedEvent e, CancellationToken ct) => Add(nameof(OnMemberAddedAsync), e);
    public ValueTask OnEventAsync(AuthEvent e, CancellationToken ct) => Add(nameof(OnEventAsync), e);
}

/// <summary>A host's database hooks: records each call (hook name, row id and a detail) and can refuse operations.</summary>
public sealed class HookRecorder : IAuthLifecycle
{
    private readonly List<(string Hook, string Id, string Detail)> _calls = new();

    public IReadOnlyList<(string Hook, string Id, string Detail)> Calls { get { lock (_calls) return _calls.ToList(); } }
    public Func<User, bool>? RefuseUserUpdate { get; set; }
    public Func<Session, bool>? RefuseSession { get; set; }
    public List<(string Hook, string Id, string Detail)> Named(string hook) => Calls.Where(c => c.Hook == hook).ToList();

    private ValueTask Add(string hook, string id, string detail) { lock (_calls) _calls.Add((hook, id, detail)); return default; }

    public ValueTask OnUserCreatingAsync(AuthStoreContext ctx, User user) => Add(nameof(OnUserCreatingAsync), user.Id, user.Email);
    public ValueTask OnUserCreatedAsync(AuthStoreContext ctx, User user) => Add(nameof(OnUserCreatedAsync), user.Id, user.Email);

    public ValueTask OnUserUpdatingAsync(AuthStoreContext ctx, User user)
    {
        if (RefuseUserUpdate?.Invoke(user) == true) throw new BetterAuth.Core.Errors.AuthError(400, "Update refused by host");
        return Add(nameof(OnUserUpdatingAsync), user.Id, user.Name);
    }

    public ValueTask OnUserUpdatedAsync(AuthStoreContext ctx, User user) => Add(nameof(OnUserUpdatedAsync), user.Id, user.Name);

    public ValueTask OnSessionCreatingAsync(AuthStoreContext ctx, Session session)
    {
        if (RefuseSession?.Invoke(session) == true) throw new BetterAuth.Core.Errors.AuthError(403, "Sign-in refused by host");
        return Add(nameof(OnSessionCreatingAsync), session.UserId, session.Token);
    }

    public ValueTask OnSessionCreatedAsync(AuthStoreContext ctx, Session session) => Add(nameof(OnSessionCreatedAsync), session.UserId, session.Token);
    public ValueTask OnSessionUpdatingAsync(AuthStoreContext ctx, Session session) => Add(nameof(OnSessionUpdatingAsync), session.UserId, session.ExpiresAt.ToString("O"));
    public ValueTask OnSessionUpdatedAsync(AuthStoreContext ctx, Session session) => Add(nameof(OnSessionUpdatedAsync), session.UserId, session.ExpiresAt.ToString("O"));
    public ValueTask OnUserDeletingAsync(AuthStoreContext ctx, User user) => Add(nameof(OnUserDeletingAsync), user.Id, user.Email);
}
