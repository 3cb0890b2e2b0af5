using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Sessions;
using BetterAuth.Plugins.Anonymous;
using BetterAuth.Plugins.Username;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.Anonymous;

/// <summary>An anonymous browser that signs in or up for real hands its anonymous user to onLinkAccount, which is then deleted.</summary>
public sealed class AnonymousLinkingTests
{
    private sealed class LinkRecorder
    {
        public List<AnonymousLink> Links { get; } = new();
        public Task Record(AnonymousLink link) { Links.Add(link); return Task.CompletedTask; }
    }

    private static async Task<(TestClient Client, string AnonymousId)> AnonymousBrowserAsync(AuthTestHost host)
    {
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/anonymous");
        Assert.Equal(200, r.Status);
        return (client, r.Json!["user"]!["id"]!.GetValue<string>());
    }

    private static Task<bool> UserExistsAsync(AuthTestHost host, string id) => host.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == id));
    private static Task<int> SessionCountAsync(AuthTestHost host, string userId) => host.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == userId));

    [Fact]
    public async Task SignUp_FromAnonymousBrowser_CallsOnLinkAccountAndDeletesTheAnonymousUser()
    {
        var recorder = new LinkRecorder();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin(new AnonymousOptions { OnLinkAccount = recorder.Record })));
        var (client, anonymousId) = await AnonymousBrowserAsync(host);

        var up = await client.PostAsync("/sign-up/email", new { email = "new@example.com", password = "password123", name = "New" });
        Assert.Equal(200, up.Status);
        Assert.Equal("new@example.com", up.Json!["user"]!["email"]!.GetValue<string>());
        var newId = up.Json!["user"]!["id"]!.GetValue<string>();

        var link = Assert.Single(recorder.Links);
        Assert.Equal(anonymousId, link.AnonymousUser.User.Id);
        Assert.Equal(newId, link.NewUser.User.Id);
        Assert.Equal(up.Json!["token"]!.GetValue<string>(), link.NewUser.Session.Token);
        Assert.False(await UserExistsAsync(host, anonymousId));
        Assert.Equal(0, await SessionCountAsync(host, anonymousId));

        var session = await client.GetAsync("/get-session");
        Assert.Equal(newId, session.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignInEmail_FromAnonymousBrowser_DeletesTheAnonymousUser()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin()));
        await host.Client().SignUpAsync("existing@example.com");
        var (client, anonymousId) = await AnonymousBrowserAsync(host);

        var r = await client.PostAsync("/sign-in/email", new { email = "existing@example.com", password = "password123" });
        Assert.Equal(200, r.Status);
        Assert.False(await UserExistsAsync(host, anonymousId));
    }

    [Fact]
    public async Task SignInUsername_FromAnonymousBrowser_DeletesTheAnonymousUser()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.Plugins.Add(new UsernamePlugin());
            o.Plugins.Add(new AnonymousPlugin());
        });
        await host.Client().PostAsync("/sign-up/email", new { email = "named@example.com", password = "password123", name = "N", username = "named_user" });
        var (client, anonymousId) = await AnonymousBrowserAsync(host);

        var r = await client.PostAsync("/sign-in/username", new { username = "named_user", password = "password123" });
        Assert.Equal(200, r.Status);
        Assert.False(await UserExistsAsync(host, anonymousId));
    }

    [Fact]
    public async Task LinkWithBearerToken_DeletesTheAnonymousUser()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin()));
        var anonymous = await host.Client().PostAsync("/sign-in/anonymous");
        var anonymousId = anonymous.Json!["user"]!["id"]!.GetValue<string>();
        var app = host.Client();
        app.Bearer = anonymous.Header("set-auth-token");

        var up = await app.PostAsync("/sign-up/email", new { email = "bearer@example.com", password = "password123", name = "B" });
        Assert.Equal(200, up.Status);
        Assert.False(await UserExistsAsync(host, anonymousId));
    }

    [Fact]
    public async Task FailedSignIn_FromAnonymousBrowser_KeepsTheAnonymousUser()
    {
        var recorder = new LinkRecorder();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin(new AnonymousOptions { OnLinkAccount = recorder.Record })));
        await host.Client().SignUpAsync("existing@example.com");
        var (client, anonymousId) = await AnonymousBrowserAsync(host);

        var r = await client.PostAsync("/sign-in/email", new { email = "existing@example.com", password = "wrong-password" });
        Assert.Equal(401, r.Status);
        Assert.Empty(recorder.Links);
        Assert.True(await UserExistsAsync(host, anonymousId));
        Assert.Equal(1, await SessionCountAsync(host, anonymousId));
    }

    [Fact]
    public async Task DisableDeleteAnonymousUser_CallsOnLinkAccountButKeepsTheUser()
    {
        var recorder = new LinkRecorder();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin(new AnonymousOptions
        {
            OnLinkAccount = recorder.Record,
            DisableDeleteAnonymousUser = true,
        })));
        var (client, anonymousId) = await AnonymousBrowserAsync(host);

        await client.SignUpAsync("keep@example.com");
        Assert.Single(recorder.Links);
        Assert.True(await UserExistsAsync(host, anonymousId));
    }

    [Fact]
    public async Task SignUp_FromRealUsersBrowser_DeletesNobody()
    {
        var recorder = new LinkRecorder();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin(new AnonymousOptions { OnLinkAccount = recorder.Record })));
        var client = host.Client();
        await client.SignUpAsync("first@example.com");
        await client.SignUpAsync("second@example.com");
        Assert.Empty(recorder.Links);
        Assert.Equal(2, await host.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task OnLinkAccountError_FailsTheRequestAndKeepsTheAnonymousUser()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin(new AnonymousOptions
        {
            OnLinkAccount = _ => throw AuthError.BadRequest("Cannot move the cart"),
        })));
        var (client, anonymousId) = await AnonymousBrowserAsync(host);

        var r = await client.PostAsync("/sign-up/email", new { email = "cart@example.com", password = "password123", name = "C" });
        Assert.Equal(400, r.Status);
        Assert.Equal("CANNOT_MOVE_THE_CART", r.Code);
        Assert.Empty(r.SetCookies);
        Assert.True(await UserExistsAsync(host, anonymousId));
    }

    [Fact]
    public async Task Link_DoesNotRefreshOrReSetTheAnonymousSessionCookie()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin()));
        var (client, anonymousId) = await AnonymousBrowserAsync(host);
        // Past updateAge: resolving the anonymous session normally would extend it and re-set its cookie.
        host.Clock.Advance(TimeSpan.FromDays(2));

        var up = await client.PostAsync("/sign-up/email", new { email = "late@example.com", password = "password123", name = "L" });
        Assert.Equal(200, up.Status);
        var tokenCookies = up.SetCookies.Where(c => c.StartsWith("better-auth.session_token=", StringComparison.Ordinal)).ToList();
        var only = Assert.Single(tokenCookies);
        Assert.StartsWith($"better-auth.session_token={up.Json!["token"]!.GetValue<string>()}.", only);
        Assert.False(await UserExistsAsync(host, anonymousId));
    }

    [Fact]
    public async Task ExpiredAnonymousSession_IsNotLinked()
    {
        var recorder = new LinkRecorder();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin(new AnonymousOptions { OnLinkAccount = recorder.Record })));
        var (client, anonymousId) = await AnonymousBrowserAsync(host);
        host.Clock.Advance(TimeSpan.FromDays(8));

        await client.SignUpAsync("after@example.com");
        Assert.Empty(recorder.Links);
        Assert.True(await UserExistsAsync(host, anonymousId));
    }

    /// <summary>Stands in for two-factor: withdraws the session a sign-in created and answers something else.</summary>
    private sealed class WithdrawSessionPlugin : IBetterAuthPlugin
    {
        public string Id => "withdraw";
        public void Configure(AuthPluginBuilder builder) =>
            builder.After(ctx => ctx.Path == "/sign-in/email", (ctx, _) =>
            {
                SessionManager.DeleteSessionCookie(ctx);
                return ValueTask.FromResult(AuthResult.Json(new OkResponse(false)));
            });
    }

    [Fact]
    public async Task SessionWithdrawnByAnEarlierHook_IsNotLinked()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.Plugins.Add(new WithdrawSessionPlugin());
            o.Plugins.Add(new AnonymousPlugin());
        });
        await host.Client().SignUpAsync("twofactor@example.com");
        var (client, anonymousId) = await AnonymousBrowserAsync(host);

        var r = await client.PostAsync("/sign-in/email", new { email = "twofactor@example.com", password = "password123" });
        Assert.Equal(200, r.Status);
        Assert.False(r.Json!["ok"]!.GetValue<bool>());
        Assert.True(await UserExistsAsync(host, anonymousId));
    }
}
