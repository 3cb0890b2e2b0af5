using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Endpoints;

public sealed class ChangeEmailAndDeleteTests
{
    private static void EnableAll(BetterAuthOptions o)
    {
        o.User.ChangeEmail.Enabled = true;
        o.User.DeleteUser.Enabled = true;
    }

    [Fact]
    public async Task ChangeEmail_Disabled_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("ce@example.com");
        Assert.Equal("CHANGE_EMAIL_IS_DISABLED", (await client.PostAsync("/change-email", new { newEmail = "x@example.com" })).Code);
    }

    [Fact]
    public async Task ChangeEmail_UnverifiedUser_ChangesAtOnceAndMailsNewAddress()
    {
        await using var host = await AuthTestHost.StartAsync(EnableAll);
        var client = host.Client();
        await client.SignUpAsync("old@example.com");
        await host.Client().SignUpAsync("taken@example.com");
        Assert.Equal("EMAIL_IS_THE_SAME", (await client.PostAsync("/change-email", new { newEmail = "OLD@example.com" })).Code);
        // A taken address answers like a free one and changes nothing (Security/LaterAdvisoryTests).
        Assert.Equal("{\"status\":true}", (await client.PostAsync("/change-email", new { newEmail = "taken@example.com" })).Text);
        Assert.Null(host.Outbox.Last("verify-email"));
        var r = await client.PostAsync("/change-email", new { newEmail = "New@Example.com" });
        Assert.Equal(200, r.Status);
        Assert.Equal("new@example.com", (await client.GetAsync("/get-session?disableCookieCache=true")).Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal("new@example.com", host.Outbox.Last("verify-email")!.To);
    }

    [Fact]
    public async Task ChangeEmail_VerifiedUser_ConfirmsThroughCurrentAddress()
    {
        await using var host = await AuthTestHost.StartAsync(EnableAll);
        var client = host.Client();
        await client.SignUpAsync("cur@example.com");
        await client.PostAsync("/send-verification-email", new { email = "cur@example.com" });
        await client.GetAsync($"/verify-email?token={host.Outbox.Last("verify-email")!.Token}");

        Assert.Equal(200, (await client.PostAsync("/change-email", new { newEmail = "next@example.com", callbackURL = "/settings" })).Status);
        var mail = host.Outbox.Last("change-email")!;
        Assert.Equal("cur@example.com", mail.To);
        Assert.Equal("next@example.com", mail.Data["newEmail"]);
        Assert.Equal("cur@example.com", (await client.GetAsync("/get-session?disableCookieCache=true")).Json!["user"]!["email"]!.GetValue<string>());

        var stranger = await host.Client().GetAsync($"/verify-email?token={mail.Token}&callbackURL=/settings");
        Assert.Equal("/settings?error=unauthorized", stranger.Message.Headers.Location!.OriginalString);
        var confirmed = await client.GetAsync($"/verify-email?token={mail.Token}");
        Assert.Equal(200, confirmed.Status);
        var user = (await client.GetAsync("/get-session?disableCookieCache=true")).Json!["user"]!;
        Assert.Equal("next@example.com", user["email"]!.GetValue<string>());
        Assert.False(user["emailVerified"]!.GetValue<bool>());
        Assert.Equal("next@example.com", host.Outbox.Last("verify-email")!.To);
    }

    [Fact]
    public async Task DeleteUser_Disabled_Returns404Empty()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("del@example.com");
        var r = await client.PostAsync("/delete-user", new { });
        Assert.Equal(404, r.Status);
        Assert.Equal("", r.Text);
    }

    [Fact]
    public async Task DeleteUser_WithPassword_RemovesUserSessionsAndAccounts()
    {
        await using var host = await AuthTestHost.StartAsync(EnableAll);
        var client = host.Client();
        await client.SignUpAsync("bye@example.com");
        Assert.Equal("INVALID_PASSWORD", (await client.PostAsync("/delete-user", new { password = "wrong-password" })).Code);
        var r = await client.PostAsync("/delete-user", new { password = "password123" });
        Assert.Equal("{\"success\":true,\"message\":\"User deleted\"}", r.Text);
        Assert.Contains(r.SetCookies, c => c.StartsWith("better-auth.session_token=; Max-Age=0", StringComparison.Ordinal));
        Assert.Equal((0, 0, 0), await host.WithDbAsync(db => Task.FromResult((db.Users.Count(), db.Sessions.Count(), db.Accounts.Count()))));
    }

    [Fact]
    public async Task DeleteUser_StaleSessionWithoutPassword_IsRefused()
    {
        await using var host = await AuthTestHost.StartAsync(EnableAll);
        var client = host.Client();
        await client.SignUpAsync("stale@example.com");
        host.Clock.Advance(TimeSpan.FromDays(2));
        var r = await client.PostAsync("/delete-user", new { });
        Assert.Equal(400, r.Status);
        Assert.Equal("SESSION_EXPIRED_REAUTHENTICATE_TO_PERFORM_THIS_ACTION", r.Code);
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task DeleteUser_WithEmailedConfirmation_DeletesOnlyThroughTheLink()
    {
        await using var host = await AuthTestHost.StartAsync(o => { EnableAll(o); o.User.DeleteUser.SendDeleteAccountVerification = true; });
        var client = host.Client();
        await client.SignUpAsync("confirm@example.com");
        var other = host.Client();
        await other.SignUpAsync("other@example.com");
        var r = await client.PostAsync("/delete-user", new { callbackURL = "/goodbye" });
        Assert.Equal("{\"success\":true,\"message\":\"Verification email sent\"}", r.Text);
        var mail = host.Outbox.Last("delete-account")!;
        Assert.Matches("^[0-9a-z]{32}$", mail.Token);

        var foreign = await other.GetAsync($"/delete-user/callback?token={mail.Token}");
        Assert.Equal(404, foreign.Status);
        Assert.Equal("INVALID_TOKEN", foreign.Code);
        var ok = await client.GetAsync(new Uri(mail.Url!).PathAndQuery);
        Assert.Equal(302, ok.Status);
        Assert.Equal("/goodbye", ok.Message.Headers.Location!.OriginalString);
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
        Assert.Equal(404, (await client.GetAsync($"/delete-user/callback?token={mail.Token}")).Status);
    }
}
