using BetterAuth.Core.Events;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.Organization;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.AspNetCore;

public sealed class EventTests
{
    [Fact]
    public async Task SignUp_RaisesUserCreatedThenSignedIn_OnceEach()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (_, id) = await host.UserAsync("new@events.test");
        var created = Assert.Single(host.Events.Of<UserCreatedEvent>());
        Assert.Equal(("new@events.test", id), (created.User.Email, created.User.Id));
        var signedIn = Assert.Single(host.Events.Of<SignedInEvent>());
        Assert.Equal(id, signedIn.User.Id);
        Assert.Equal(id, signedIn.Session.UserId);
        // The catch-all method saw the same two events, in order.
        Assert.Equal([typeof(UserCreatedEvent), typeof(SignedInEvent)], host.Events.All.Select(e => e.GetType()));
    }

    [Fact]
    public async Task SignInAndSignOut_AreRaisedOnceWithTheSession()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (_, id) = await host.UserAsync("inout@events.test");
        host.Events.Clear();
        var client = host.Client();
        var signIn = await client.SignInAsync("inout@events.test");
        var signedIn = Assert.Single(host.Events.Of<SignedInEvent>());
        Assert.Equal(signIn["token"]!.GetValue<string>(), signedIn.Session.Token);

        Assert.Equal(200, (await client.PostAsync("/sign-out")).Status);
        var signedOut = Assert.Single(host.Events.Of<SignedOutEvent>());
        Assert.Equal((id, signedIn.Session.Id), (signedOut.User.Id, signedOut.Session.Id));
        Assert.Single(host.Events.Of<SignedInEvent>());
    }

    [Fact]
    public async Task FailedSignIn_RaisesNothing()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        await host.UserAsync("fail@events.test");
        host.Events.Clear();
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "fail@events.test", password = "wrong-password" });
        Assert.Equal(401, r.Status);
        Assert.Empty(host.Events.Calls);
    }

    [Fact]
    public async Task TwoFactorChallenge_WithholdsTheSignIn_UntilTheSecondFactor()
    {
        await using var host = await ProtectedAppHost.StartAsync(o =>
            o.Plugins.Add(new BetterAuth.Plugins.TwoFactor.TwoFactorPlugin(new BetterAuth.Plugins.TwoFactor.TwoFactorOptions { SkipVerificationOnEnable = true })));
        var (client, id) = await host.UserAsync("2fa@events.test");
        host.Events.Clear();
        // Enabling rotates the caller's own session: not a sign-in.
        Assert.Equal(200, (await client.PostAsync("/two-factor/enable", new { password = "password123" })).Status);
        Assert.Empty(host.Events.Of<SignedInEvent>());

        var browser = host.Client();
        var challenged = await browser.PostAsync("/sign-in/email", new { email = "2fa@events.test", password = "password123" });
        Assert.True(challenged.Json!["twoFactorRedirect"]!.GetValue<bool>());
        Assert.Empty(host.Events.Of<SignedInEvent>());

        await browser.PostAsync("/two-factor/send-otp");
        var verified = await browser.PostAsync("/two-factor/verify-otp", new { code = host.Outbox.Last("two-factor-otp")!.Otp });
        Assert.Equal(200, verified.Status);
        var signedIn = Assert.Single(host.Events.Of<SignedInEvent>());
        Assert.Equal((id, verified.Json!["token"]!.GetValue<string>()), (signedIn.User.Id, signedIn.Session.Token));
    }

    [Fact]
    public async Task PasswordChange_WithRevocation_IsOneEvent_AndTheRotatedSessionIsNoSignIn()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("change@events.test");
        host.Events.Clear();
        var r = await client.PostAsync("/change-password", new { currentPassword = "password123", newPassword = "new-password-1", revokeOtherSessions = true });
        Assert.Equal(200, r.Status);
        var changed = Assert.Single(host.Events.Of<PasswordChangedEvent>());
        Assert.Equal((id, true), (changed.User.Id, changed.OtherSessionsRevoked));
        Assert.Empty(host.Events.Of<SignedInEvent>());
    }

    [Fact]
    public async Task PasswordReset_IsRaisedOnce()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (_, id) = await host.UserAsync("reset@events.test");
        await host.Client().PostAsync("/request-password-reset", new { email = "reset@events.test" });
        var token = host.Outbox.Last("reset-password")!.Token;
        host.Events.Clear();
        Assert.Equal(200, (await host.Client().PostAsync("/reset-password", new { token, newPassword = "another-password" })).Status);
        Assert.Equal(id, Assert.Single(host.Events.Of<PasswordResetEvent>()).UserId);
        Assert.Single(host.Events.All);
    }

    [Fact]
    public async Task SessionRevocations_NameTheirScope()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("revoke@events.test");
        var second = host.Client();
        var token = (await second.SignInAsync("revoke@events.test"))["token"]!.GetValue<string>();
        host.Events.Clear();

        Assert.Equal(200, (await client.PostAsync("/revoke-session", new { token })).Status);
        await host.Client().SignInAsync("revoke@events.test");
        Assert.Equal(200, (await client.PostAsync("/revoke-other-sessions")).Status);
        Assert.Equal(200, (await client.PostAsync("/revoke-sessions")).Status);

        var revoked = host.Events.Of<SessionRevokedEvent>();
        Assert.Equal([SessionRevocationScope.Single, SessionRevocationScope.Others, SessionRevocationScope.All], revoked.Select(e => e.Scope));
        Assert.All(revoked, e => Assert.Equal(id, e.UserId));
        Assert.Equal(token, revoked[0].Session!.Token);
        Assert.Null(revoked[1].Session);
    }

    [Fact]
    public async Task EmailVerification_IsRaisedOnce_AndNotForOtherUpdates()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("verify@events.test");
        Assert.Equal(200, (await client.PostAsync("/update-user", new { name = "Renamed" })).Status);
        Assert.Empty(host.Events.Of<EmailVerifiedEvent>());

        await client.PostAsync("/send-verification-email", new { email = "verify@events.test" });
        var url = new Uri(host.Outbox.Last("verify-email")!.Url!).PathAndQuery;
        Assert.Equal(302, (await client.GetAsync(url)).Status); // to the callback URL
        var verified = Assert.Single(host.Events.Of<EmailVerifiedEvent>());
        Assert.Equal(id, verified.User.Id);
        Assert.True(verified.User.EmailVerified);
    }

    [Fact]
    public async Task DeleteUser_IsRaisedOnceWithTheDeletedUser()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("bye@events.test");
        Assert.Equal(200, (await client.PostAsync("/delete-user", new { password = "password123" })).Status);
        var deleted = Assert.Single(host.Events.Of<UserDeletedEvent>());
        Assert.Equal((id, "bye@events.test"), (deleted.User.Id, deleted.User.Email));
    }

    [Fact]
    public async Task OrganizationEvents_CreatedMemberAddedDeleted()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (owner, ownerId) = await host.UserAsync("owner@events.test");
        var (guest, guestId) = await host.UserAsync("guest@events.test");
        var organizationId = (await owner.PostAsync("/organization/create", new { name = "Acme", slug = "acme" })).Json!["id"]!.GetValue<string>();
        var created = Assert.Single(host.Events.Of<OrganizationCreatedEvent>());
        Assert.Equal((organizationId, "acme", ownerId, "owner"), (created.Organization.Id, created.Organization.Slug, created.CreatedBy.Id, created.Creator.Role));

        var invite = await owner.PostAsync("/organization/invite-member", new { email = "guest@events.test", role = "admin" });
        await guest.PostAsync("/organization/accept-invitation", new { invitationId = invite.Json!["id"]!.GetValue<string>() });
        var added = Assert.Single(host.Events.Of<MemberAddedEvent>());
        Assert.Equal((guestId, organizationId, "admin"), (added.User.Id, added.Member.OrganizationId, added.Member.Role));
        Assert.Equal(invite.Json!["id"]!.GetValue<string>(), added.Invitation.Id);

        Assert.Equal(200, (await owner.PostAsync("/organization/delete", new { organizationId })).Status);
        var deleted = Assert.Single(host.Events.Of<OrganizationDeletedEvent>());
        Assert.Equal((organizationId, ownerId), (deleted.Organization.Id, deleted.DeletedBy.Id));
    }

    [Fact]
    public async Task BanAndUnban_AreRaisedOnce_AndAnExpiredBanLiftsItself()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (admin, adminId) = await host.UserAsync("admin@events.test", "admin");
        var (_, userId) = await host.UserAsync("bad@events.test");
        Assert.Equal(200, (await admin.PostAsync("/admin/ban-user", new { userId, banReason = "spam", banExpiresIn = 60 })).Status);
        var banned = Assert.Single(host.Events.Of<UserBannedEvent>());
        Assert.Equal((userId, "spam", adminId), (banned.User.Id, banned.Reason, banned.BannedBy.Id));
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddSeconds(60), banned.ExpiresAt);

        Assert.Equal(200, (await admin.PostAsync("/admin/unban-user", new { userId })).Status);
        Assert.Equal(adminId, Assert.Single(host.Events.Of<UserUnbannedEvent>()).UnbannedBy!.Id);
        // Unbanning someone who is not banned changes nothing and reports nothing.
        Assert.Equal(200, (await admin.PostAsync("/admin/unban-user", new { userId })).Status);
        Assert.Single(host.Events.Of<UserUnbannedEvent>());

        await admin.PostAsync("/admin/ban-user", new { userId, banExpiresIn = 60 });
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await host.Client().SignInAsync("bad@events.test");
        var lifted = host.Events.Of<UserUnbannedEvent>().Last();
        Assert.Equal((userId, null), (lifted.User.Id, lifted.UnbannedBy?.Id));
        Assert.Equal(2, host.Events.Of<UserUnbannedEvent>().Count);
    }

    [Fact]
    public async Task TypedHandlers_AndAFailingHandler_DoNotChangeTheAnswer()
    {
        var typed = new CountingHandler();
        await using var host = await ProtectedAppHost.StartAsync(services: s =>
        {
            s.AddSingleton<IAuthEventHandler<UserCreatedEvent>>(typed);
            s.AddSingleton<IAuthEventHandler<UserCreatedEvent>>(new ThrowingHandler());
            s.AddSingleton<IAuthEventHandler<AuthEvent>>(new ThrowingHandler());
        });
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "typed@events.test", password = "password123", name = "T" });
        Assert.Equal(200, r.Status);
        Assert.Equal(1, typed.Count);
        // The throwing catch-all ran before or after it; the recorder still got both events.
        Assert.Equal(2, host.Events.All.Count);
    }

    private sealed class CountingHandler : IAuthEventHandler<UserCreatedEvent>
    {
        public int Count;
        public ValueTask HandleAsync(UserCreatedEvent e, CancellationToken ct) { Interlocked.Increment(ref Count); return default; }
    }

    private sealed class ThrowingHandler : IAuthEventHandler<UserCreatedEvent>, IAuthEventHandler<AuthEvent>
    {
        public ValueTask HandleAsync(UserCreatedEvent e, CancellationToken ct) => throw new InvalidOperationException("boom");
        public ValueTask HandleAsync(AuthEvent e, CancellationToken ct) => throw new InvalidOperationException("boom");
    }
}
