using System.Globalization;
using BetterAuth.Tests.OAuth;
using BetterAuth.Tests.Plugins.Organization;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Endpoints;

/// <summary>
/// Requests only later Better Auth clients (1.3 and on) send: GET /account-info with the account in the query, and
/// rememberMe and image on sign-up, membersLimit on get-full-organization. 1.2.12's shapes keep working (their tests are elsewhere).
/// </summary>
public sealed class LaterClientRequestTests
{
    private static readonly FakeUser Dana = new("dana-7", "dana@example.com", "Dana");

    /// <summary>An email/password user who links the fake provider; returns the client and the oidc account's row id.</summary>
    private static async Task<(TestClient Client, string AccountRowId)> LinkedUserAsync(AuthTestHost host, FakeOAuthProvider idp)
    {
        var client = host.Client();
        await client.SignUpAsync("dana@example.com");
        var r = await client.PostAsync("/link-social", new { provider = "oidc", callbackURL = "/settings" });
        await client.GetAsync(idp.Authorize(r.Json!["url"]!.GetValue<string>(), Dana));
        var rowId = await host.WithDbAsync(db => db.Accounts.Where(a => a.ProviderId == "oidc").Select(a => a.Id).SingleAsync());
        return (client, rowId);
    }

    [Fact]
    public async Task AccountInfoGet_ByAccountRowId_AnswersTheProvidersUserAndNamesTheAccount()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var (client, rowId) = await LinkedUserAsync(host, idp);

        var r = await client.GetAsync($"/account-info?accountId={rowId}");
        Assert.Equal(200, r.Status);
        Assert.Equal("dana-7", r.Json!["user"]!["id"]!.GetValue<string>());
        Assert.Equal("dana@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal(FakeOAuthProvider.ClientId, r.Json!["data"]!["aud"]!.GetValue<string>());
        Assert.Equal(rowId, r.Json!["account"]!["id"]!.GetValue<string>());
        Assert.Equal("oidc", r.Json!["account"]!["providerId"]!.GetValue<string>());
        Assert.Equal("dana-7", r.Json!["account"]!["accountId"]!.GetValue<string>());
    }

    [Fact]
    public async Task AccountInfoGet_ByTheProvidersUserId_AsClients13To16Send_AlsoWorks()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var (client, _) = await LinkedUserAsync(host, idp);
        var r = await client.GetAsync("/account-info?accountId=dana-7");
        Assert.Equal(200, r.Status);
        Assert.Equal("dana-7", r.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AccountInfoGet_OnlyTheCallersAccounts_AndNeedsASession()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var (_, rowId) = await LinkedUserAsync(host, idp);

        var stranger = host.Client();
        await stranger.SignUpAsync("stranger@example.com");
        var foreign = await stranger.GetAsync($"/account-info?accountId={rowId}");
        Assert.Equal((400, "ACCOUNT_NOT_FOUND"), (foreign.Status, foreign.Code));
        var missing = await stranger.GetAsync("/account-info");
        Assert.Equal((400, "ACCOUNT_NOT_FOUND"), (missing.Status, missing.Code));

        var anonymous = await host.Client().GetAsync($"/account-info?accountId={rowId}");
        Assert.Equal(401, anonymous.Status);
        Assert.Equal("", anonymous.Text);
    }

    [Fact]
    public async Task AccountInfoPost_The1212Shape_HasNoAccountInTheAnswer()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var (client, _) = await LinkedUserAsync(host, idp);
        var r = await client.PostAsync("/account-info", new { accountId = "dana-7" });
        Assert.Equal(200, r.Status);
        Assert.Equal(["user", "data"], r.Json!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task SignUp_RememberMeFalse_SetsABrowserSessionCookieAndDontRemember()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        var r = await client.PostAsync("/sign-up/email", new { email = "once@example.com", password = "password123", name = "Once", rememberMe = false });
        Assert.Equal(200, r.Status);
        Assert.DoesNotContain("Max-Age", r.Cookie("better-auth.session_token")!);
        Assert.StartsWith("better-auth.dont_remember=true.", r.Cookie("better-auth.dont_remember"));
        // A not-remembered session lives one day, as on sign-in with rememberMe: false.
        var session = await client.GetAsync("/get-session");
        var expires = DateTime.Parse(session.Json!["session"]!["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddDays(1), expires, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("\"false\"")]
    public async Task SignUp_RememberMeOtherThanFalse_KeepsThePersistentCookie(string rememberMe)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostRawAsync("/sign-up/email",
            $$"""{"email":"kept@example.com","password":"password123","name":"Kept","rememberMe":{{rememberMe}}}""");
        Assert.Equal(200, r.Status);
        Assert.Contains("Max-Age=604800", r.Cookie("better-auth.session_token")!);
        Assert.Null(r.Cookie("better-auth.dont_remember"));
    }

    [Fact]
    public async Task SignUp_Image_IsStoredAndReturned()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        var r = await client.PostAsync("/sign-up/email", new { email = "pic@example.com", password = "password123", name = "Pic", image = "https://img.example/pic.png" });
        Assert.Equal(200, r.Status);
        Assert.Equal("https://img.example/pic.png", r.Json!["user"]!["image"]!.GetValue<string>());
        Assert.Equal("https://img.example/pic.png", await host.WithDbAsync(db => db.Users.Where(u => u.Email == "pic@example.com").Select(u => u.Image).SingleAsync()));
        Assert.Equal("https://img.example/pic.png", (await client.GetAsync("/get-session")).Json!["user"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetFullOrganization_MembersLimit_CapsTheMembersListed()
    {
        await using var host = await OrganizationTestKit.StartAsync();
        var cast = await OrganizationTestKit.CastAsync(host);
        var url = $"/organization/get-full-organization?organizationId={cast.OrganizationId}";
        Assert.Equal(3, (await cast.Owner.Client.GetAsync(url)).Json!["members"]!.AsArray().Count);
        Assert.Equal(2, (await cast.Owner.Client.GetAsync(url + "&membersLimit=2")).Json!["members"]!.AsArray().Count);
        Assert.Equal(3, (await cast.Owner.Client.GetAsync(url + "&membersLimit=0")).Json!["members"]!.AsArray().Count);
        Assert.Equal(3, (await cast.Owner.Client.GetAsync(url + "&membersLimit=many")).Json!["members"]!.AsArray().Count);
        // The limit trims the answer only: a member left out of it is still a member.
        var member = await cast.Member.Client.GetAsync(url + "&membersLimit=1");
        Assert.Equal(200, member.Status);
        Assert.Single(member.Json!["members"]!.AsArray());
    }
}
