using BetterAuth.Core.Messaging;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.MagicLink;

public sealed class MagicLinkSignInTests
{
    [Fact]
    public async Task Send_StoresTheTokenAsBetterAuthDoes_AndMailsTheLink()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var link = await host.SendLinkAsync("Mixed@Example.com", "/done?step=2", name: "Mia \"M\" Link");
        Assert.Equal(("magic-link", "Mixed@Example.com"), (link.Kind, link.To));
        Assert.Matches("^[A-Za-z]{32}$", link.Token);
        Assert.Equal($"http://localhost/api/auth/magic-link/verify?token={link.Token}&callbackURL=%2Fdone%3Fstep%3D2", link.Url);
        var row = await host.WithDbAsync(db => Task.FromResult(db.Verifications.Single()));
        // The identifier is the token itself and the value JSON.stringify({email, name}): either server verifies the other's links.
        Assert.Equal((link.Token, "{\"email\":\"Mixed@Example.com\",\"name\":\"Mia \\\"M\\\" Link\"}"), (row.Identifier, row.Value));
        Assert.Equal(host.Runtime.Now.AddSeconds(300), row.ExpiresAt);

        var plain = await host.SendLinkAsync("plain@example.com");
        Assert.EndsWith("&callbackURL=%2F", plain.Url);
        Assert.Equal("{\"email\":\"plain@example.com\"}", await host.WithDbAsync(db => Task.FromResult(db.Verifications.Single(v => v.Identifier == plain.Token).Value)));
    }

    [Fact]
    public async Task Verify_UnknownEmail_SignsUpAVerifiedUser_AndRedirectsToTheCallback()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var link = await host.SendLinkAsync("New@Example.com", "/welcome", name: "New Person");
        var browser = host.Client();
        var r = await browser.GetAsync(MagicLinkTestHost.PathOf(link));
        Assert.Equal(302, r.Status);
        Assert.Equal("/welcome", r.Header("Location"));
        Assert.Matches("^better-auth.session_token=[A-Za-z0-9]{32}\\.[^;]+; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax$", r.Cookie("better-auth.session_token"));
        var session = (await browser.GetAsync("/get-session")).Json!;
        Assert.Equal(("new@example.com", "New Person", true),
            (session["user"]!["email"]!.GetValue<string>(), session["user"]!["name"]!.GetValue<string>(), session["user"]!["emailVerified"]!.GetValue<bool>()));
        Assert.Empty(await host.WithDbAsync(db => Task.FromResult(db.Verifications.ToList())));
    }

    [Fact]
    public async Task Verify_WithoutCallback_AnswersTheTokenAndTheUserInBetterAuthsShape()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var link = await host.SendLinkAsync("json@example.com");
        var r = await host.Client().GetAsync($"/magic-link/verify?token={link.Token}");
        Assert.Equal(200, r.Status);
        Assert.Equal(["token", "user"], r.Json!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(["id", "email", "emailVerified", "name", "image", "createdAt", "updatedAt"], r.Json!["user"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal("", r.Json!["user"]!["name"]!.GetValue<string>());
        Assert.Contains(r.Json!["token"]!.GetValue<string>(), r.Cookie("better-auth.session_token"));
    }

    [Fact]
    public async Task Verify_IsSingleUse()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var link = await host.SendLinkAsync("once@example.com", "/done");
        Assert.Equal("/done", (await host.Client().GetAsync(MagicLinkTestHost.PathOf(link))).Header("Location"));
        var again = await host.Client().GetAsync(MagicLinkTestHost.PathOf(link));
        Assert.Equal((302, "http://localhost/done?error=INVALID_TOKEN"), (again.Status, again.Header("Location")));
        Assert.Null(again.Cookie("better-auth.session_token"));
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
    }

    [Fact]
    public async Task Verify_ConcurrentClicks_SignInOnce()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var link = await host.SendLinkAsync("race@example.com", "/done");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Client().GetAsync(MagicLinkTestHost.PathOf(link))));
        Assert.Single(results, r => r.Header("Location") == "/done");
        Assert.All(results.Where(r => r.Header("Location") != "/done"), r => Assert.EndsWith("error=INVALID_TOKEN", r.Header("Location")));
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task Verify_ExpiredLink_RedirectsWithExpiredToken_ThenInvalidToken()
    {
        await using var host = await MagicLinkTestHost.StartAsync(o => o.ExpiresIn = 60);
        var link = await host.SendLinkAsync("late@example.com", "/done");
        host.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("http://localhost/done?error=EXPIRED_TOKEN", (await host.Client().GetAsync(MagicLinkTestHost.PathOf(link))).Header("Location"));
        Assert.Equal("http://localhost/done?error=INVALID_TOKEN", (await host.Client().GetAsync(MagicLinkTestHost.PathOf(link))).Header("Location"));
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Theory]
    [InlineData("/done?step=2", "http://localhost/done?step=2&error=INVALID_TOKEN")]
    [InlineData("http://localhost/after?x=1#top", "http://localhost/after?x=1&error=INVALID_TOKEN#top")]
    [InlineData(null, "http://localhost/?error=INVALID_TOKEN")]
    public async Task Verify_ErrorRedirect_IsAWellFormedUrl_WhateverTheCallbacksQuery(string? callback, string expected)
    {
        // Better Auth 1.2.12 appends "?error=" to the callback as text: "/done?step=2?error=INVALID_TOKEN".
        await using var host = await MagicLinkTestHost.StartAsync();
        var query = callback is null ? "" : "&callbackURL=" + Uri.EscapeDataString(callback);
        var r = await host.Client().GetAsync($"/magic-link/verify?token=NoSuchTokenAtAll{query}");
        Assert.Equal((302, expected), (r.Status, r.Header("Location")));
    }

    [Theory]
    [InlineData("https%3A%2F%2Fevil.example%2F")]          // an untrusted origin
    [InlineData("%252F%252Fevil.example")]                   // decoded twice (as Better Auth does): //evil.example
    [InlineData("%25E0%25A4%25A")]                           // not decodable a second time: a 500 in Better Auth
    [InlineData("%2Fdone%0A")]                               // a newline in a Location header
    public async Task Verify_UntrustedOrUndecodableCallback_Is403_BeforeTheTokenIsUsed(string rawCallback)
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var link = await host.SendLinkAsync("guard@example.com");
        var r = await host.Client().GetAsync($"/magic-link/verify?token={link.Token}&callbackURL={rawCallback}");
        Assert.Equal((403, "INVALID_CALLBACKURL"), (r.Status, r.Code));
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Verifications.Count())));
    }

    [Fact]
    public async Task Verify_CallbackIsDecodedOnceMore_AsBetterAuthDoes()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var link = await host.SendLinkAsync("twice@example.com");
        var r = await host.Client().GetAsync($"/magic-link/verify?token={link.Token}&callbackURL=%252Fhome%253Ftab%253D1");
        Assert.Equal((302, "/home?tab=1"), (r.Status, r.Header("Location")));
    }

    [Fact]
    public async Task Verify_MissingToken_IsAValidationError()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var r = await host.Client().GetAsync("/magic-link/verify?callbackURL=%2F");
        Assert.Equal((400, "VALIDATION_ERROR", "Invalid query parameters"), (r.Status, r.Code, r.Json!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Verify_TokenOfAnotherFlowsRow_IsNoLink_AndLeavesTheRow()
    {
        // Identifiers are not namespaced: an OAuth state or a two-factor challenge is a row too. It must not sign anyone in.
        await using var host = await MagicLinkTestHost.StartAsync();
        await host.WithDbAsync(async db =>
        {
            var now = host.Runtime.Now;
            db.Verifications.Add(new() { Id = "v1", Identifier = "stateLikeIdentifierAbcdefghijklm", Value = "{\"callbackURL\":\"/\",\"codeVerifier\":\"x\"}", ExpiresAt = now.AddMinutes(5), CreatedAt = now, UpdatedAt = now });
            db.Verifications.Add(new() { Id = "v2", Identifier = "2fa-someChallengeId", Value = "userIdOfSomeone", ExpiresAt = now.AddMinutes(5), CreatedAt = now, UpdatedAt = now });
            return await db.SaveChangesAsync();
        });
        foreach (var token in new[] { "stateLikeIdentifierAbcdefghijklm", "2fa-someChallengeId" })
            Assert.Equal("http://localhost/?error=INVALID_TOKEN", (await host.Client().GetAsync($"/magic-link/verify?token={token}&callbackURL=%2F")).Header("Location"));
        Assert.Equal(2, await host.WithDbAsync(db => Task.FromResult(db.Verifications.Count())));
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Theory]
    [InlineData("{\"email\":\"not-an-email\"}")]
    [InlineData("{\"name\":\"No Email\"}")]
    [InlineData("{\"email\":\"a@example.com\",\"name\":42}")]
    [InlineData("{\"email\":\"a@example.com\",\"callbackURL\":7}")]
    [InlineData("{\"email\":\"a@example.com\"")]
    public async Task Send_BadBody_IsAValidationError(string body)
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var r = await host.Client().PostRawAsync("/sign-in/magic-link", body);
        Assert.Equal((400, "VALIDATION_ERROR"), (r.Status, r.Code));
        Assert.Empty(host.Outbox.Messages);
    }

    [Fact]
    public async Task Send_UntrustedCallback_Is403_AndSendsNothing()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var r = await host.Client().PostAsync("/sign-in/magic-link", new { email = "cb@example.com", callbackURL = "https://evil.example/" });
        Assert.Equal((403, "INVALID_CALLBACKURL"), (r.Status, r.Code));
        Assert.Empty(host.Outbox.Messages);
    }

    [Fact]
    public async Task Send_WithoutAMessageSender_IsRefused()
    {
        await using var host = await MagicLinkTestHost.StartAsync(withSender: false);
        var r = await host.Client().PostAsync("/sign-in/magic-link", new { email = "nosender@example.com" });
        Assert.Equal((400, "MAGIC_LINK_ISNT_ENABLED"), (r.Status, r.Code));
        Assert.Empty(await host.WithDbAsync(db => Task.FromResult(db.Verifications.ToList())));
    }

    [Fact]
    public async Task GenerateToken_MakesTheToken()
    {
        await using var host = await MagicLinkTestHost.StartAsync(o => o.GenerateToken = email => "custom-" + email.Length + "-" + Guid.NewGuid().ToString("N"));
        var link = await host.SendLinkAsync("gen@example.com");
        Assert.StartsWith("custom-15-", link.Token);
        Assert.Equal(302, (await host.Client().GetAsync(MagicLinkTestHost.PathOf(link))).Status);
    }

    [Fact]
    public async Task DisableSignUp_UnknownEmail_GetsTheSameAnswerButNoMailAndNoUsableRow()
    {
        await using var host = await MagicLinkTestHost.StartAsync(o => o.DisableSignUp = true, auth: o => o.User.DeleteUser.Enabled = true);
        var unknown = await host.Client().PostAsync("/sign-in/magic-link", new { email = "ghost@example.com" });
        Assert.Equal((200, "{\"status\":true}"), (unknown.Status, unknown.Text));
        Assert.Empty(host.Outbox.Messages);

        var member = host.Client();
        await member.SignUpAsync("member@example.com");
        var link = await host.SendLinkAsync("member@example.com", "/in");
        // The account is deleted before the link is used: no new account is made from it.
        Assert.Equal(200, (await member.PostAsync("/delete-user", new { password = "password123" })).Status);
        Assert.Equal("http://localhost/in?error=new_user_signup_disabled", (await host.Client().GetAsync(MagicLinkTestHost.PathOf(link))).Header("Location"));
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task RateLimit_FivePerMinute_OnEachPath()
    {
        await using var host = await MagicLinkTestHost.StartAsync(auth: o => o.RateLimit.Enabled = true);
        for (var i = 0; i < 5; i++)
            Assert.Equal(200, (await host.Client().PostAsync("/sign-in/magic-link", new { email = $"rl{i}@example.com" })).Status);
        Assert.Equal(429, (await host.Client().PostAsync("/sign-in/magic-link", new { email = "rl5@example.com" })).Status);
        // The verify path is counted on its own.
        Assert.Equal(302, (await host.Client().GetAsync("/magic-link/verify?token=x&callbackURL=%2F")).Status);
        host.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/magic-link", new { email = "rl6@example.com" })).Status);
    }

    [Fact]
    public void DefaultMailTemplate_LinksToTheUrl()
    {
        var mail = new DefaultMailTemplates(new BetterAuthOptions { AppName = "Acme" })
            .Render(new AuthMessage("magic-link", "a@example.com") { Token = "t", Url = "http://localhost/api/auth/magic-link/verify?token=t&callbackURL=%2F" });
        Assert.Equal("Sign in to Acme", mail.Subject);
        Assert.Contains("http://localhost/api/auth/magic-link/verify?token=t&callbackURL=%2F", mail.Text);
        Assert.Contains("href=\"http://localhost/api/auth/magic-link/verify?token=t&amp;callbackURL=%2F\"", mail.Html);
    }
}
