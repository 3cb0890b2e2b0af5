using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetterAuth.AspNetCore;
using BetterAuth.Core.Events;
using BetterAuth.Plugins.Organization;
using Microsoft.AspNetCore.Http;

namespace BetterAuth.Tests.AspNetCore;

/// <summary><see cref="BetterAuthApi"/>: the endpoints called from C#, through the same pipeline.</summary>
public sealed class ServerApiTests
{
    [Fact]
    public async Task SignUpEmail_CreatesTheUser_SetsTheSessionCookie_AndRaisesTheEvents()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var result = await host.Api.SignUpEmailAsync("api@server.test", "password123", "Api User");
        Assert.Equal("api@server.test", result.Data.User.Email);
        Assert.NotNull(result.Data.Token);
        Assert.Contains(result.Response.SetCookies, c => c.StartsWith("better-auth.session_token=", StringComparison.Ordinal));
        Assert.NotNull(result.Response.AuthToken);
        Assert.Equal(result.Data.User.Id, Assert.Single(host.Events.Of<UserCreatedEvent>()).User.Id);
        Assert.Single(host.Events.Of<SignedInEvent>());
        // The same user row a client sees.
        var signIn = await host.Client().PostAsync("/sign-in/email", new { email = "api@server.test", password = "password123" });
        Assert.Equal(result.Data.User.Id, signIn.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignUpEmail_RunsValidationAndAdditionalFields()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var weak = await Assert.ThrowsAsync<BetterAuthApiException>(() => host.Api.SignUpEmailAsync("weak@server.test", "short", "W"));
        Assert.Equal((400, "PASSWORD_TOO_SHORT"), (weak.Status, weak.Code));
        await host.Api.SignUpEmailAsync("dup@server.test", "password123", "D");
        var dup = await Assert.ThrowsAsync<BetterAuthApiException>(() => host.Api.SignUpEmailAsync("dup@server.test", "password123", "D"));
        Assert.Equal((422, "USER_ALREADY_EXISTS"), (dup.Status, dup.Code));
        // role is input:false in the admin plugin: sign-up cannot set it, from C# either.
        var r = await host.Api.SignUpEmailAsync("role@server.test", "password123", "R", additionalFields: new JsonObject { ["role"] = "admin" });
        Assert.Equal("user", await host.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == r.Data.User.Id).Get<string>("role"))));
    }

    [Fact]
    public async Task SignInEmail_WrongPassword_ThrowsBetterAuthsError()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        await host.Api.SignUpEmailAsync("in@server.test", "password123", "In");
        var e = await Assert.ThrowsAsync<BetterAuthApiException>(() => host.Api.SignInEmailAsync("in@server.test", "wrong-password"));
        Assert.Equal((401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password"), (e.Status, e.Code, e.Message));
        var ok = await host.Api.SignInEmailAsync("in@server.test", "password123", rememberMe: false);
        Assert.Contains(ok.Response.SetCookies, c => c.StartsWith("better-auth.dont_remember=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetSession_ByForwardedCookieOrBearer_OrNull()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var signUp = await host.Api.SignUpEmailAsync("session@server.test", "password123", "S");
        var byCookie = await host.Api.GetSessionAsync(signUp.Response.SessionHeaders());
        Assert.NotNull(byCookie);
        Assert.Equal(("session@server.test", signUp.Data.Token), (byCookie.User.Email, byCookie.Session.Token));
        // Plugin columns come with the rows.
        Assert.Equal("user", byCookie.User.Get<string>("role"));

        var byBearer = await host.Api.GetSessionAsync(BetterAuthApi.BearerHeaders(signUp.Response.AuthToken!));
        Assert.Equal(byCookie.Session.Id, byBearer!.Session.Id);
        Assert.Null(await host.Api.GetSessionAsync(new HeaderDictionary()));

        var cookie = signUp.Response.SetCookies.Single(c => c.StartsWith("better-auth.session_token=", StringComparison.Ordinal)).Split(';')[0].Split('=', 2)[1];
        var byCookieDictionary = await host.Api.InvokeAsync(new BetterAuthApiRequest("GET", "/get-session")
        {
            Cookies = { ["better-auth.session_token"] = cookie },
        });
        Assert.Equal("session@server.test", Assert.IsType<BetterAuth.Core.Json.SessionResponse>(byCookieDictionary.Value).User.Email);
        Assert.Equal("session@server.test", byCookieDictionary.Json!.Value.GetProperty("user").GetProperty("email").GetString());
    }

    [Fact]
    public async Task ListSessions_AndSignOut()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var first = await host.Api.SignUpEmailAsync("list@server.test", "password123", "L");
        await host.Api.SignInEmailAsync("list@server.test", "password123");
        var headers = first.Response.SessionHeaders();
        var sessions = await host.Api.ListSessionsAsync(headers);
        Assert.Equal(2, sessions.Count);
        Assert.Contains(sessions, s => s.Token == first.Data.Token);

        var signOut = await host.Api.SignOutAsync(headers);
        Assert.Contains(signOut.SetCookies, c => c.StartsWith("better-auth.session_token=;", StringComparison.Ordinal));
        Assert.Single(host.Events.Of<SignedOutEvent>());
        var e = await Assert.ThrowsAsync<BetterAuthApiException>(() => host.Api.ListSessionsAsync(headers));
        Assert.Equal(401, e.Status);
    }

    [Fact]
    public async Task InvokeAsync_AnswersAsTheRouterDoes()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var ok = await host.Api.InvokeAsync("GET", "/ok");
        Assert.Equal((200, "{\"ok\":true}"), (ok.Status, ok.Text));
        Assert.Equal(200, (await host.Api.InvokeAsync("GET", "/api/auth/ok")).Status);
        var missing = await host.Api.InvokeAsync("GET", "/no-such-endpoint");
        Assert.Equal((404, ""), (missing.Status, missing.Text));
        Assert.Equal(404, (await host.Api.InvokeAsync("GET", "/sign-in/email")).Status);

        var invalid = await host.Api.InvokeAsync("POST", "/sign-in/email", new { email = 42 });
        Assert.Equal((400, "VALIDATION_ERROR"), (invalid.Status, invalid.ErrorCode));
        var raw = await host.Api.InvokeAsync("POST", "/sign-in/email", "{not json"u8.ToArray());
        Assert.Equal(400, raw.Status);
    }

    [Fact]
    public async Task InvokeAsync_FillsRouteParametersAndQuery()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var r = await host.Api.InvokeAsync(new BetterAuthApiRequest("GET", "/reset-password/not-a-token") { Query = { ["callbackURL"] = "/new-password" } });
        Assert.Equal(302, r.Status);
        Assert.Equal("http://localhost/new-password?error=INVALID_TOKEN", r.Location);
        var inPath = await host.Api.InvokeAsync("GET", "/reset-password/x?callbackURL=%2Fp");
        Assert.Equal("http://localhost/p?error=INVALID_TOKEN", inPath.Location);
    }

    [Fact]
    public async Task CallAsync_GivesTheAnswerObjectOrDeserializesTheJson()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var signUp = await host.Api.SignUpEmailAsync("call@server.test", "password123", "C");
        var headers = signUp.Response.SessionHeaders();
        var organization = await host.Api.CallAsync<JsonElement>("POST", "/organization/create", new { name = "Acme", slug = "acme" }, headers);
        Assert.Equal("acme", organization.GetProperty("slug").GetString());
        // A plugin's event, raised by a server-side call.
        Assert.Equal("acme", Assert.Single(host.Events.Of<OrganizationCreatedEvent>()).Organization.Slug);

        var list = await host.Api.CallAsync<List<OrganizationDto>>("GET", "/organization/list", headers: headers);
        Assert.Equal("Acme", Assert.Single(list!).Name);
        var e = await Assert.ThrowsAsync<BetterAuthApiException>(() => host.Api.CallAsync<JsonElement>("GET", "/organization/list"));
        Assert.Equal(401, e.Status);
    }

    private sealed record OrganizationDto(string Id, string Name, string Slug);

    [Fact]
    public async Task ServerCalls_AreNotRateLimited_ButClientsAre()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.RateLimit.Enabled = true);
        await host.Api.SignUpEmailAsync("limit@server.test", "password123", "L");
        for (var i = 0; i < 6; i++)
        {
            var r = await host.Api.InvokeAsync(new BetterAuthApiRequest("POST", "/sign-in/email")
            {
                Body = new { email = "limit@server.test", password = "password123" },
                RemoteIpAddress = IPAddress.Parse("203.0.113.9"),
            });
            Assert.Equal(200, r.Status);
        }
        var client = host.Client();
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await client.PostAsync("/sign-in/email", new { email = "limit@server.test", password = "password123" })).Status);
        Assert.Equal(429, statuses[^1]);
    }

    [Fact]
    public async Task ForwardedRequest_RecordsTheClientsAddressAndAgent_AndHooksApply()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        await host.Api.SignUpEmailAsync("fwd@server.test", "password123", "F");
        var http = new DefaultHttpContext();
        http.Request.Headers.UserAgent = "HostBrowser/1.0";
        http.Request.Headers.ContentLength = 999; // the host request's own body headers are not forwarded
        http.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.7");
        var r = await host.Api.InvokeAsync(BetterAuthApiRequest.ForwardedFrom(http, "POST", "/sign-in/email",
            new { email = "fwd@server.test", password = "password123" }));
        Assert.Equal(200, r.Status);
        var token = JsonDocument.Parse(r.Text).RootElement.GetProperty("token").GetString();
        var session = await host.WithDbAsync(db => Task.FromResult(db.Sessions.Single(s => s.Token == token)));
        Assert.Equal(("198.51.100.7", "HostBrowser/1.0"), (session.IpAddress, session.UserAgent));

        host.Hooks.RefuseSession = _ => true;
        var refused = await host.Api.InvokeAsync("POST", "/sign-in/email", new { email = "fwd@server.test", password = "password123" });
        Assert.Equal((403, "SIGNIN_REFUSED_BY_HOST"), (refused.Status, refused.ErrorCode));
        Assert.Empty(refused.SetCookies);
    }

    [Fact]
    public async Task ForwardCookiesTo_SignsTheHostsClientIn()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        await host.Api.SignUpEmailAsync("cookie@server.test", "password123", "C");
        var result = await host.Api.SignInEmailAsync("cookie@server.test", "password123");
        var response = new DefaultHttpContext().Response;
        result.Response.ForwardCookiesTo(response);
        Assert.Equal<string?>(result.Response.SetCookies, response.Headers.SetCookie.ToArray());
        Assert.Equal(result.Response.AuthToken, response.Headers["set-auth-token"].ToString());
    }
}
