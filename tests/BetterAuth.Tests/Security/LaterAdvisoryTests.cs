using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.Anonymous;
using BetterAuth.Plugins.EmailOtp;
using BetterAuth.Plugins.Organization;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Better Auth's security fixes published after 1.2.12 whose flows exist here (SECURITY.md, "Review round two"),
/// each shown closed. Cookie-cache staleness, admin create-user's protected fields and the phone number at sign-up
/// have their own files (LivePrivilegeTests, ClientSetFieldsTests).
/// </summary>
public sealed class LaterAdvisoryTests
{
    private static string Token(TestClient client) => Uri.UnescapeDataString(client.Cookies["better-auth.session_token"]).Split('.')[0];

    private static TestClient CopyOf(AuthTestHost host, TestClient from)
    {
        var copy = host.Client();
        foreach (var (name, value) in from.Cookies) copy.Cookies[name] = value;
        return copy;
    }

    /// <summary>GHSA-2vg6-77g8-24mp: deleting a user (by an admin, by themselves, or an anonymous user on linking) ends their sessions in the shared store too.</summary>
    [Fact]
    public async Task GHSA_2vg6_DeletedUsers_SessionsAreGoneFromTheSharedCache()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.Plugins.Add(new AdminPlugin());
            o.Plugins.Add(new AnonymousPlugin());
            o.User.DeleteUser.Enabled = true;
        }, storage: new TestStorage(Postgres: true, Redis: true));
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var keys = redis.GetDatabase();
        var prefix = host.Runtime.Options.SecondaryStorage.KeyPrefix;

        var root = host.Client();
        var rootId = (await root.SignUpAsync("root@example.com"))["user"]!["id"]!.GetValue<string>();
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == rootId).ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string>(u, AdminFields.Role), "admin")));

        // An admin removes a user.
        var victim = host.Client();
        var victimId = (await victim.SignUpAsync("victim@example.com"))["user"]!["id"]!.GetValue<string>();
        Assert.NotNull((await victim.GetAsync("/get-session")).Json);
        Assert.True(await keys.KeyExistsAsync(prefix + Token(victim)));
        Assert.Equal(200, (await root.PostAsync("/admin/remove-user", new { userId = victimId })).Status);
        Assert.False(await keys.KeyExistsAsync(prefix + Token(victim)));
        Assert.Equal("null", (await victim.GetAsync("/get-session")).Text);

        // A user deletes their own account: their other device is signed out too.
        var laptop = host.Client();
        await laptop.SignUpAsync("leaver@example.com");
        var phone = host.Client();
        await phone.SignInAsync("leaver@example.com");
        Assert.NotNull((await phone.GetAsync("/get-session")).Json);
        Assert.Equal(200, (await laptop.PostAsync("/delete-user", new { })).Status);
        Assert.False(await keys.KeyExistsAsync(prefix + Token(phone)));
        Assert.Equal("null", (await phone.GetAsync("/get-session")).Text);

        // An anonymous user who signs up is deleted with its session.
        var browser = host.Client();
        Assert.Equal(200, (await browser.PostAsync("/sign-in/anonymous")).Status);
        var anonymous = CopyOf(host, browser);
        Assert.NotNull((await anonymous.GetAsync("/get-session")).Json);
        Assert.Equal(200, (await browser.PostAsync("/sign-up/email", new { email = "linked@example.com", password = "password123", name = "L" })).Status);
        Assert.False(await keys.KeyExistsAsync(prefix + Token(anonymous)));
        Assert.Equal("null", (await anonymous.GetAsync("/get-session")).Text);
    }

    /// <summary>
    /// GHSA-fmh4-wcc4-5jm3: an account registered (unverified) at an invitee's address must not read or answer the
    /// invitation. Here there is no endpoint listing invitations by the session's email, invitation ids are 32 random
    /// characters known only to the mailbox and the organization's members, and with
    /// <c>RequireEmailVerificationOnInvitation</c> an unverified account is refused even with the id.
    /// </summary>
    [Fact]
    public async Task GHSA_fmh4_AnUnprovenAccountAtTheInviteesAddress_CannotFindOrAnswerTheInvitation()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
            o.Plugins.Add(new OrganizationPlugin(new OrganizationOptions { RequireEmailVerificationOnInvitation = true })));
        var owner = host.Client();
        await owner.SignUpAsync("owner@example.com");
        var org = await owner.PostAsync("/organization/create", new { name = "Acme", slug = "acme" });
        var orgId = org.Json!["id"]!.GetValue<string>();
        var squatter = host.Client();
        await squatter.SignUpAsync("invitee@example.com");
        var invite = await owner.PostAsync("/organization/invite-member", new { email = "invitee@example.com", role = "admin" });
        var id = invite.Json!["id"]!.GetValue<string>();
        Assert.Matches("^[A-Za-z0-9]{32}$", id);

        Assert.Equal(404, (await squatter.GetAsync("/organization/list-user-invitations")).Status);
        Assert.Equal(403, (await squatter.GetAsync($"/organization/list-invitations?organizationId={orgId}")).Status);
        Assert.Equal(403, (await squatter.GetAsync($"/organization/get-invitation?id={id}")).Status);
        Assert.Equal(403, (await squatter.PostAsync("/organization/accept-invitation", new { invitationId = id })).Status);
        Assert.Equal(403, (await squatter.PostAsync("/organization/reject-invitation", new { invitationId = id })).Status);
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.Role == "admin")));
    }

    /// <summary>
    /// Better Auth #8097 (1.5): /change-email to an address that has an account answers as for a free one, for unverified
    /// and verified users alike, so a signed-in user cannot test which addresses are registered. Nothing changes.
    /// </summary>
    [Fact]
    public async Task ChangeEmail_ToATakenAddress_AnswersLikeAFreeOne_AndChangesNothing()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.User.ChangeEmail.Enabled = true;
            o.EmailVerification.SendOnSignUp = false;
        });
        await host.Client().SignUpAsync("taken@example.com");
        foreach (var verified in new[] { false, true })
        {
            var prober = host.Client();
            var address = $"prober-{verified}@example.com".ToLowerInvariant();
            await prober.SignUpAsync(address);
            if (verified) await host.WithDbAsync(db => db.Users.Where(u => u.Email == address).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerified, true)));
            var sent = host.Outbox.Messages.Count;

            var taken = await prober.PostAsync("/change-email", new { newEmail = "taken@example.com" });
            Assert.Equal((200, "{\"status\":true}"), (taken.Status, taken.Text));
            Assert.Equal(sent, host.Outbox.Messages.Count);
            Assert.Equal(address, (await prober.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
            var free = await prober.PostAsync("/change-email", new { newEmail = $"free-{verified}@example.com".ToLowerInvariant() });
            Assert.Equal((200, "{\"status\":true}"), (free.Status, free.Text));
        }
        Assert.Equal(1, await host.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "taken@example.com")));
    }

    /// <summary>
    /// Better Auth #10239 (1.6.22): signing in by email OTP to an account whose email was never proven drops the
    /// password and sessions set before the proof, so whoever registered the address first is locked out.
    /// </summary>
    [Fact]
    public async Task EmailOtpSignIn_ToAnUnprovenAccount_DropsThePasswordAndSessionsSetBeforeTheProof()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new EmailOtpPlugin()));
        var squatter = host.Client();
        await squatter.SignUpAsync("owner@example.com", "squatters-password");

        var owner = host.Client();
        Assert.Equal(200, (await owner.PostAsync("/email-otp/send-verification-otp", new { email = "owner@example.com", type = "sign-in" })).Status);
        var otp = host.Outbox.Last("email-otp:sign-in")!.Otp;
        var signIn = await owner.PostAsync("/sign-in/email-otp", new { email = "owner@example.com", otp });
        Assert.Equal(200, signIn.Status);

        Assert.Equal("null", (await squatter.GetAsync("/get-session")).Text);
        Assert.Equal(401, (await host.Client().PostAsync("/sign-in/email", new { email = "owner@example.com", password = "squatters-password" })).Status);
        Assert.True((await owner.GetAsync("/get-session")).Json!["user"]!["emailVerified"]!.GetValue<bool>());

        // An account whose address was already proven keeps its password.
        await host.Client().SignUpAsync("proven@example.com");
        await host.WithDbAsync(db => db.Users.Where(u => u.Email == "proven@example.com").ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerified, true)));
        Assert.Equal(200, (await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "proven@example.com", type = "sign-in" })).Status);
        var provenOtp = host.Outbox.Last("email-otp:sign-in")!.Otp;
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/email-otp", new { email = "proven@example.com", otp = provenOtp })).Status);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/email", new { email = "proven@example.com", password = "password123" })).Status);
    }
}
