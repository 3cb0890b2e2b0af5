using BetterAuth.Core.Events;
using BetterAuth.Plugins.Anonymous;
using BetterAuth.Plugins.MagicLink;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.AspNetCore;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.MagicLink;

/// <summary>A magic-link sign-in as a primary sign-in: what it does to existing accounts, and the rules every sign-in obeys.</summary>
public sealed class MagicLinkAccountTests
{
    [Fact]
    public async Task UnverifiedAccount_LosesThePasswordAndSessionsNobodyProved_WhenTheMailboxOwnerSignsIn()
    {
        // Someone registers the victim's address first, with a password of their own, and keeps a session.
        await using var host = await MagicLinkTestHost.StartAsync();
        var squatter = host.Client();
        await squatter.SignUpAsync("victim@example.com", "squatters-password");
        var link = await host.SendLinkAsync("victim@example.com");

        var owner = host.Client();
        var r = await owner.GetAsync($"/magic-link/verify?token={link.Token}");
        Assert.Equal(200, r.Status);
        Assert.False(r.Json!["user"]!["emailVerified"]!.GetValue<bool>()); // as Better Auth: the row as read before the update
        Assert.True((await owner.GetAsync("/get-session")).Json!["user"]!["emailVerified"]!.GetValue<bool>());

        Assert.Equal("null", (await squatter.GetAsync("/get-session")).Text);
        var withPassword = await host.Client().PostAsync("/sign-in/email", new { email = "victim@example.com", password = "squatters-password" });
        Assert.Equal((401, "INVALID_EMAIL_OR_PASSWORD"), (withPassword.Status, withPassword.Code));
        Assert.Equal(0, await host.WithDbAsync(db => db.Accounts.CountAsync()));
        Assert.Equal(1, await host.WithDbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task VerifiedAccount_KeepsItsPasswordAndOtherSessions()
    {
        await using var host = await MagicLinkTestHost.StartAsync();
        var first = host.Client();
        await first.SignUpAsync("owner@example.com");
        await host.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerified, true)));
        var link = await host.SendLinkAsync("owner@example.com");
        Assert.Equal(302, (await host.Client().GetAsync(MagicLinkTestHost.PathOf(link))).Status);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/email", new { email = "owner@example.com", password = "password123" })).Status);
        Assert.NotEqual("null", (await first.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task BannedUser_GetsNoSession()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Plugins.Add(new MagicLinkPlugin()));
        var (admin, _) = await host.UserAsync("admin@example.com", role: "admin");
        var (_, userId) = await host.UserAsync("banned@example.com");
        Assert.Equal(200, (await admin.PostAsync("/admin/ban-user", new { userId })).Status);

        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/magic-link", new { email = "banned@example.com", callbackURL = "/in" })).Status);
        var link = host.Outbox.Last("magic-link")!;
        var browser = host.Client();
        var r = await browser.GetAsync(MagicLinkTestHost.PathOf(link));
        // As Better Auth: the ban refuses the session with 403 BANNED_USER, also on this GET.
        Assert.Equal((403, "BANNED_USER"), (r.Status, r.Code));
        Assert.Empty(r.SetCookies);
        Assert.Equal(0, await host.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == userId)));
    }

    [Fact]
    public async Task SignIn_RunsTheLifecycleHooks_AndRaisesUserCreatedAndSignedIn()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Plugins.Add(new MagicLinkPlugin()));
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/magic-link", new { email = "events@example.com", name = "Eve" })).Status);
        var link = host.Outbox.Last("magic-link")!;
        var r = await host.Client().GetAsync($"/magic-link/verify?token={link.Token}");
        Assert.Equal(200, r.Status);
        var id = r.Json!["user"]!["id"]!.GetValue<string>();
        Assert.Equal(["OnUserCreatingAsync", "OnUserCreatedAsync", "OnSessionCreatingAsync", "OnSessionCreatedAsync"], host.Hooks.Calls.Select(c => c.Hook));
        Assert.Equal(id, Assert.Single(host.Events.Of<UserCreatedEvent>()).User.Id);
        var signedIn = Assert.Single(host.Events.Of<SignedInEvent>());
        Assert.Equal((id, r.Json!["token"]!.GetValue<string>()), (signedIn.User.Id, signedIn.Session.Token));
    }

    [Fact]
    public async Task SessionRefusedByTheHost_IsAnErrorAndNoCookie()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Plugins.Add(new MagicLinkPlugin()));
        host.Hooks.RefuseSession = _ => true;
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/magic-link", new { email = "refused@example.com" })).Status);
        var r = await host.Client().GetAsync($"/magic-link/verify?token={host.Outbox.Last("magic-link")!.Token}");
        // The host's refusal is the answer, as for every sign-in method.
        Assert.Equal((403, "Sign-in refused by host"), (r.Status, r.Json?["message"]?.GetValue<string>()));
        Assert.Empty(r.SetCookies);
        Assert.Empty(host.Events.Of<SignedInEvent>());
    }

    [Fact]
    public async Task TwoFactorUser_IsNotChallenged_AsInBetterAuth1212()
    {
        // Better Auth 1.2.12's two-factor after-hook matches /sign-in/email, /sign-in/username and /sign-in/phone-number
        // only: a magic link, which proves the mailbox, signs in without the second factor.
        await using var host = await MagicLinkTestHost.StartAsync(auth: o => o.Plugins.Insert(0, new TwoFactorPlugin()));
        await host.Client().SignUpAsync("mfa@example.com");
        await host.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<bool?>(u, "twoFactorEnabled"), true)));
        var byPassword = await host.Client().PostAsync("/sign-in/email", new { email = "mfa@example.com", password = "password123" });
        Assert.True(byPassword.Json!["twoFactorRedirect"]!.GetValue<bool>());

        var link = await host.SendLinkAsync("mfa@example.com");
        var browser = host.Client();
        var r = await browser.GetAsync($"/magic-link/verify?token={link.Token}");
        Assert.Equal(200, r.Status);
        Assert.NotNull(r.Json!["token"]);
        Assert.Equal("mfa@example.com", (await browser.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnonymousBrowser_SigningInByLink_IsLinkedAndTheAnonymousUserDeleted()
    {
        await using var host = await MagicLinkTestHost.StartAsync(auth: o => o.Plugins.Add(new AnonymousPlugin()));
        var browser = host.Client();
        var anonymous = await browser.PostAsync("/sign-in/anonymous");
        var anonymousId = anonymous.Json!["user"]!["id"]!.GetValue<string>();
        var link = await host.SendLinkAsync("real@example.com");
        Assert.Equal(302, (await browser.GetAsync(MagicLinkTestHost.PathOf(link))).Status);
        Assert.False(await host.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == anonymousId)));
        Assert.Equal("real@example.com", (await browser.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALinkMadeByBetterAuth_IsVerifiedHere()
    {
        // The row Better Auth 1.2.12 writes for sendMagicLink (identifier = token, value = JSON.stringify({email, name})).
        await using var host = await MagicLinkTestHost.StartAsync();
        var now = host.Runtime.Now;
        await host.WithDbAsync(db =>
        {
            db.Verifications.Add(new()
            {
                Id = "ref",
                Identifier = "RefMadeTokenAbcdefghijklmnopqrst",
                Value = "{\"email\":\"Ref@Example.com\",\"name\":\"Ref User\"}",
                ExpiresAt = now.AddMinutes(5),
                CreatedAt = now,
                UpdatedAt = now
            });
            return db.SaveChangesAsync();
        });
        var r = await host.Client().GetAsync("/magic-link/verify?token=RefMadeTokenAbcdefghijklmnopqrst");
        Assert.Equal(("ref@example.com", "Ref User"), (r.Json!["user"]!["email"]!.GetValue<string>(), r.Json!["user"]!["name"]!.GetValue<string>()));
    }
}
