using BetterAuth.Plugins.Anonymous;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.Anonymous;

public sealed class AnonymousSignInTests
{
    private static Task<AuthTestHost> StartAsync(AnonymousOptions? options = null) =>
        AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin(options)));

    private static Task<int> UserCountAsync(AuthTestHost host) => host.WithDbAsync(db => db.Users.CountAsync());

    [Fact]
    public async Task SignInAnonymous_CreatesAnAnonymousUserAndSession()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/anonymous");

        Assert.Equal(200, r.Status);
        var body = r.Json!.AsObject();
        Assert.Equal(["token", "user"], body.Select(p => p.Key));
        var user = body["user"]!.AsObject();
        Assert.Equal(["id", "email", "emailVerified", "name", "createdAt", "updatedAt"], user.Select(p => p.Key));
        // The default domain is the base URL's origin with its scheme, as Better Auth 1.2.12 builds it.
        Assert.Matches("^temp-[a-z0-9]{32}@http://localhost$", user["email"]!.GetValue<string>());
        Assert.DoesNotContain(user["id"]!.GetValue<string>().ToLowerInvariant(), user["email"]!.GetValue<string>());
        Assert.Equal("Anonymous", user["name"]!.GetValue<string>());
        Assert.False(user["emailVerified"]!.GetValue<bool>());
        var token = body["token"]!.GetValue<string>();
        Assert.StartsWith($"better-auth.session_token={token}.", r.Cookie("better-auth.session_token"));

        var session = (await client.GetAsync("/get-session")).Json!;
        Assert.True(session["user"]!["isAnonymous"]!.GetValue<bool>());
        Assert.Equal(user["id"]!.GetValue<string>(), session["user"]!["id"]!.GetValue<string>());
        Assert.Empty(await host.WithDbAsync(db => db.Accounts.ToListAsync()));
    }

    [Fact]
    public async Task SignInAnonymous_WithJsonBody_Works()
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostRawAsync("/sign-in/anonymous", "{}");
        Assert.Equal(200, r.Status);
    }

    [Fact]
    public async Task SignInAnonymous_CustomDomainAndName()
    {
        await using var host = await StartAsync(new AnonymousOptions { EmailDomainName = "guests.example.com", GenerateName = _ => "Guest 42" });
        var r = await host.Client().PostAsync("/sign-in/anonymous");
        Assert.Matches("^temp-[a-z0-9]{32}@guests\\.example\\.com$", r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal("Guest 42", r.Json!["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignInAnonymous_EmptyGeneratedName_FallsBackToAnonymous()
    {
        await using var host = await StartAsync(new AnonymousOptions { GenerateName = _ => "" });
        var r = await host.Client().PostAsync("/sign-in/anonymous");
        Assert.Equal("Anonymous", r.Json!["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignInAnonymous_Twice_Returns400AndCreatesNothing()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        var first = await client.PostAsync("/sign-in/anonymous");
        var firstCookie = client.Cookies["better-auth.session_token"];

        var again = await client.PostAsync("/sign-in/anonymous");
        Assert.Equal(400, again.Status);
        Assert.Equal("ANONYMOUS_USERS_CANNOT_SIGN_IN_AGAIN_ANONYMOUSLY", again.Code);
        Assert.Equal("Anonymous users cannot sign in again anonymously", again.Json!["message"]!.GetValue<string>());
        Assert.Empty(again.SetCookies);
        Assert.Equal(1, await UserCountAsync(host));
        Assert.Equal(1, await host.WithDbAsync(db => db.Sessions.CountAsync()));
        // The first anonymous session is untouched.
        Assert.Equal(firstCookie, client.Cookies["better-auth.session_token"]);
        var session = await client.GetAsync("/get-session");
        Assert.Equal(first.Json!["user"]!["id"]!.GetValue<string>(), session.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignInAnonymous_TwiceWithBearerToken_Returns400()
    {
        await using var host = await StartAsync();
        var first = await host.Client().PostAsync("/sign-in/anonymous");
        var bearerClient = host.Client();
        bearerClient.Bearer = first.Header("set-auth-token");
        var again = await bearerClient.PostAsync("/sign-in/anonymous");
        Assert.Equal(400, again.Status);
        Assert.Equal(1, await UserCountAsync(host));
    }

    [Fact]
    public async Task SignInAnonymous_FromARealUsersBrowser_CreatesAnAnonymousUser()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("real@example.com");
        var r = await client.PostAsync("/sign-in/anonymous");
        Assert.Equal(200, r.Status);
        Assert.Equal(2, await UserCountAsync(host));
        // Only linking deletes users; the real user stays.
        Assert.NotNull(await host.WithDbAsync(db => db.Users.SingleOrDefaultAsync(u => u.Email == "real@example.com")));
    }

    [Fact]
    public async Task SignInAnonymous_AfterTheAnonymousSessionExpired_CreatesAnother()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.PostAsync("/sign-in/anonymous");
        host.Clock.Advance(TimeSpan.FromDays(8));
        var r = await client.PostAsync("/sign-in/anonymous");
        Assert.Equal(200, r.Status);
        Assert.Equal(2, await UserCountAsync(host));
    }

    [Fact]
    public async Task IsAnonymous_CannotBeSetByClients()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AnonymousPlugin()));
        var client = host.Client();
        var up = await client.PostAsync("/sign-up/email", new { email = "x@example.com", password = "password123", name = "X", isAnonymous = true });
        Assert.Equal(200, up.Status);
        Assert.Null((await client.GetAsync("/get-session")).Json!["user"]!["isAnonymous"]);
        await client.PostAsync("/update-user", new { isAnonymous = true, name = "Y" });
        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Null(user["isAnonymous"]);
        Assert.Equal("Y", user["name"]!.GetValue<string>());
    }
}
