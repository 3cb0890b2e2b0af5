using System.Globalization;
using BetterAuth.Plugins.Organization;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.Organization.OrganizationTestKit;

namespace BetterAuth.Tests.Plugins.Organization;

public sealed class InvitationTests
{
    [Fact]
    public async Task Invite_StoresLowerCasedPendingInvitation_AndSendsTheMessage()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var r = await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = "New.Person@Org.Test", role = new[] { "member", "admin" } });
        Assert.Equal(200, r.Status);
        Assert.Equal(["organizationId", "email", "role", "status", "expiresAt", "inviterId", "id"], Keys(r.Json));
        Assert.Equal("new.person@org.test", r.Json!["email"]!.GetValue<string>());
        Assert.Equal("member,admin", r.Json!["role"]!.GetValue<string>());
        Assert.Equal("pending", r.Json!["status"]!.GetValue<string>());
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddHours(48), DateTime.Parse(r.Json!["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime());

        var message = host.Outbox.Last(InvitationEndpoints.MessageKind)!;
        Assert.Equal("new.person@org.test", message.To);
        Assert.Equal(Id(r.Json!), message.Token);
        Assert.Equal($"http://localhost/accept-invitation/{Id(r.Json!)}", message.Url);
        Assert.Equal(cast.OrganizationId, message.Data["organizationId"]);
        Assert.Equal("member,admin", message.Data["role"]);
    }

    [Fact]
    public async Task Invite_UrlTemplateAndExpiryAreOptions()
    {
        await using var host = await StartAsync(o => { o.AcceptInvitationUrl = "https://app.test/join?id={id}&from={baseURL}"; o.InvitationExpiresIn = 3600; });
        var owner = await SignUpAsync(host, "templ");
        await CreateOrganizationAsync(owner, "templ");
        var r = await owner.Client.PostAsync("/organization/invite-member", new { email = "x@org.test", role = "member" });
        Assert.Equal($"https://app.test/join?id={Id(r.Json!)}&from=http://localhost/api/auth", host.Outbox.Last(InvitationEndpoints.MessageKind)!.Url);
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddHours(1), DateTime.Parse(r.Json!["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime());
    }

    [Theory]
    [InlineData("owner", "owner", 200, null)]
    [InlineData("admin", "member", 200, null)]
    [InlineData("admin", "owner", 403, "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE")]
    [InlineData("member", "member", 403, "YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION")]
    [InlineData("outsider", "member", 400, "MEMBER_NOT_FOUND")]
    public async Task Invite_ByRole(string inviter, string role, int status, string? code)
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var r = await cast[inviter].Client.PostAsync("/organization/invite-member", new { email = "guest@org.test", role, organizationId = cast.OrganizationId });
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Code);
        Assert.Equal(status == 200 ? 1 : 0, host.Outbox.Messages.Count(m => m.To == "guest@org.test"));
    }

    [Fact]
    public async Task Invite_MemberOrAlreadyInvited_IsRefused_ResendAddsAnother()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var member = await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = cast.Member.Email.ToUpperInvariant(), role = "member" });
        Assert.Equal((400, "USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION"), (member.Status, member.Code));
        await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = "twice@org.test", role = "member" });
        var again = await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = "TWICE@org.test", role = "member" });
        Assert.Equal((400, "USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION"), (again.Status, again.Code));
        var resent = await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = "twice@org.test", role = "admin", resend = true });
        Assert.Equal(200, resent.Status);
        var statuses = await host.WithDbAsync(db => db.Set<InvitationRow>().Where(i => i.Email == "twice@org.test").Select(i => i.Status).ToListAsync());
        Assert.Equal(["pending", "pending"], statuses);
    }

    [Fact]
    public async Task Invite_CancelPendingInvitationsOnReInvite_CancelsTheOldOne()
    {
        await using var host = await StartAsync(o => o.CancelPendingInvitationsOnReInvite = true);
        var owner = await SignUpAsync(host, "canceler");
        await CreateOrganizationAsync(owner, "c");
        var first = await owner.Client.PostAsync("/organization/invite-member", new { email = "re@org.test", role = "member" });
        var second = await owner.Client.PostAsync("/organization/invite-member", new { email = "re@org.test", role = "member", resend = true });
        Assert.Equal(200, second.Status);
        var old = await host.WithDbAsync(db => db.Set<InvitationRow>().SingleAsync(i => i.Id == Id(first.Json!)));
        Assert.Equal("canceled", old.Status);
    }

    [Fact]
    public async Task Invite_PendingLimit_IsEnforced_ExpiredInvitationsDoNotCount()
    {
        await using var host = await StartAsync(o => o.InvitationLimit = 2);
        var owner = await SignUpAsync(host, "limiter");
        await CreateOrganizationAsync(owner, "l");
        Assert.Equal(200, (await owner.Client.PostAsync("/organization/invite-member", new { email = "a@org.test", role = "member" })).Status);
        Assert.Equal(200, (await owner.Client.PostAsync("/organization/invite-member", new { email = "b@org.test", role = "member" })).Status);
        var over = await owner.Client.PostAsync("/organization/invite-member", new { email = "c@org.test", role = "member" });
        Assert.Equal((403, "INVITATION_LIMIT_REACHED"), (over.Status, over.Code));
        host.Clock.Advance(TimeSpan.FromHours(49));
        Assert.Equal(200, (await owner.Client.PostAsync("/organization/invite-member", new { email = "c@org.test", role = "member" })).Status);
    }

    [Theory]
    [InlineData("{\"role\":\"member\"}")]
    [InlineData("{\"email\":\"a@b.c\"}")]
    [InlineData("{\"email\":\"a@b.c\",\"role\":[1]}")]
    [InlineData("{\"email\":\"a@b.c\",\"role\":\"member\",\"resend\":\"yes\"}")]
    public async Task Invite_InvalidBody_IsValidationError_BeforeTheSessionCheck(string body)
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostRawAsync("/organization/invite-member", body);
        Assert.Equal((400, "VALIDATION_ERROR"), (r.Status, r.Code));
    }

    [Fact]
    public async Task Accept_JoinsWithTheInvitedRole_ActivatesTheOrganization_AndCannotBeRepeated()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "host");
        var guest = await SignUpAsync(host, "guest");
        var org = await CreateOrganizationAsync(owner, "party");
        var invite = await owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "admin" });

        var r = await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = Id(invite.Json!) });
        Assert.Equal(200, r.Status);
        Assert.Equal(["invitation", "member"], Keys(r.Json));
        Assert.Equal("accepted", r.Json!["invitation"]!["status"]!.GetValue<string>());
        Assert.Equal(["organizationId", "userId", "role", "createdAt", "id"], Keys(r.Json!["member"]));
        Assert.Equal("admin", r.Json!["member"]!["role"]!.GetValue<string>());
        Assert.Equal(Id(org), await ActiveOrganizationAsync(guest));

        var again = await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = Id(invite.Json!) });
        Assert.Equal((400, "INVITATION_NOT_FOUND"), (again.Status, again.Code));
    }

    [Fact]
    public async Task Accept_ByAnotherUser_Expired_Canceled_OrUnknown_IsRefused()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var guest = await SignUpAsync(host, "invitee");
        var invite = await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member" });
        var id = Id(invite.Json!);

        var wrong = await cast.Outsider.Client.PostAsync("/organization/accept-invitation", new { invitationId = id });
        Assert.Equal((403, "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION"), (wrong.Status, wrong.Code));
        var unknown = await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = "nope" });
        Assert.Equal((400, "INVITATION_NOT_FOUND"), (unknown.Status, unknown.Code));
        Assert.Equal(401, (await host.Client().PostAsync("/organization/accept-invitation", new { invitationId = id })).Status);

        host.Clock.Advance(TimeSpan.FromHours(48) + TimeSpan.FromSeconds(1));
        var expired = await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = id });
        Assert.Equal((400, "INVITATION_NOT_FOUND"), (expired.Status, expired.Code));

        var fresh = await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member" });
        Assert.Equal(200, (await cast.Admin.Client.PostAsync("/organization/cancel-invitation", new { invitationId = Id(fresh.Json!) })).Status);
        var canceled = await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = Id(fresh.Json!) });
        Assert.Equal((400, "INVITATION_NOT_FOUND"), (canceled.Status, canceled.Code));
        Assert.Equal(3, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync()));
    }

    [Fact]
    public async Task Accept_OverTheMembershipLimit_IsRefused()
    {
        await using var host = await StartAsync(o => o.MembershipLimit = 2);
        var owner = await SignUpAsync(host, "small");
        var first = await SignUpAsync(host, "first");
        var second = await SignUpAsync(host, "second");
        var org = await CreateOrganizationAsync(owner, "small");
        await JoinAsync(owner, first, Id(org), "member");
        var invite = await owner.Client.PostAsync("/organization/invite-member", new { email = second.Email, role = "member" });
        var r = await second.Client.PostAsync("/organization/accept-invitation", new { invitationId = Id(invite.Json!) });
        Assert.Equal((403, "ORGANIZATION_MEMBERSHIP_LIMIT_REACHED"), (r.Status, r.Code));
        var stored = await host.WithDbAsync(db => db.Set<InvitationRow>().SingleAsync(i => i.Id == Id(invite.Json!)));
        Assert.Equal("pending", stored.Status);
    }

    [Fact]
    public async Task Accept_ASecondInvitationOfAMember_DoesNotAddASecondMembership()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "o");
        var guest = await SignUpAsync(host, "g");
        await CreateOrganizationAsync(owner, "dupe");
        var one = await owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member" });
        var two = await owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "admin", resend = true });
        Assert.Equal(200, (await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = Id(one.Json!) })).Status);
        var second = await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = Id(two.Json!) });
        Assert.Equal((400, "USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION"), (second.Status, second.Code));
        Assert.Equal(1, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.UserId == guest.UserId)));
    }

    [Fact]
    public async Task Accept_ConcurrentRequestsForOneInvitation_CreateOneMember()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "racer-owner");
        var guest = await SignUpAsync(host, "racer");
        await CreateOrganizationAsync(owner, "race");
        var invite = await owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member" });
        var body = new { invitationId = Id(invite.Json!) };
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => guest.Client.PostAsync("/organization/accept-invitation", body)));
        Assert.Single(results, r => r.Status == 200);
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal(400, r.Status));
        Assert.Equal(1, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.UserId == guest.UserId)));
    }

    [Fact]
    public async Task Reject_MarksRejected_OnlyOnce_AndOnlyByTheRecipient()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var guest = await SignUpAsync(host, "decliner");
        var invite = await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member" });
        var id = Id(invite.Json!);
        var wrong = await cast.Outsider.Client.PostAsync("/organization/reject-invitation", new { invitationId = id });
        Assert.Equal((403, "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION"), (wrong.Status, wrong.Code));
        var r = await guest.Client.PostAsync("/organization/reject-invitation", new { invitationId = id });
        Assert.Equal(200, r.Status);
        Assert.Equal("rejected", r.Json!["invitation"]!["status"]!.GetValue<string>());
        Assert.Contains("\"member\":null", r.Text);
        var again = await guest.Client.PostAsync("/organization/reject-invitation", new { invitationId = id });
        Assert.Equal((400, "INVITATION_NOT_FOUND", "Invitation not found!"), (again.Status, again.Code, again.Json!["message"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("owner", 200, null)]
    [InlineData("admin", 200, null)]
    [InlineData("member", 403, "YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION")]
    [InlineData("outsider", 400, "MEMBER_NOT_FOUND")]
    public async Task Cancel_ByRole(string role, int status, string? code)
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var invite = await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = "maybe@org.test", role = "member" });
        var r = await cast[role].Client.PostAsync("/organization/cancel-invitation", new { invitationId = Id(invite.Json!) });
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Code);
        var stored = await host.WithDbAsync(db => db.Set<InvitationRow>().SingleAsync(i => i.Id == Id(invite.Json!)));
        Assert.Equal(status == 200 ? "canceled" : "pending", stored.Status);
        if (status == 200) Assert.Equal("canceled", r.Json!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetInvitation_ShowsOrganizationAndInviter_ToTheRecipientOnly()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var guest = await SignUpAsync(host, "reader");
        var invite = await cast.Admin.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member" });
        var id = Id(invite.Json!);
        var r = await guest.Client.GetAsync($"/organization/get-invitation?id={id}");
        Assert.Equal(200, r.Status);
        Assert.Equal(["organizationId", "email", "role", "status", "expiresAt", "inviterId", "id", "organizationName", "organizationSlug", "inviterEmail"], Keys(r.Json));
        Assert.Equal(cast.Slug, r.Json!["organizationSlug"]!.GetValue<string>());
        Assert.Equal(cast.Admin.Email, r.Json!["inviterEmail"]!.GetValue<string>());

        Assert.Equal(403, (await cast.Outsider.Client.GetAsync($"/organization/get-invitation?id={id}")).Status);
        var anonymous = await host.Client().GetAsync($"/organization/get-invitation?id={id}");
        Assert.Equal((401, "NOT_AUTHENTICATED"), (anonymous.Status, anonymous.Code));
        Assert.Equal("VALIDATION_ERROR", (await guest.Client.GetAsync("/organization/get-invitation")).Code);

        // The inviter leaving makes the invitation unreadable, as in Better Auth.
        await cast.Admin.Client.PostAsync("/organization/leave", new { organizationId = cast.OrganizationId });
        var orphan = await guest.Client.GetAsync($"/organization/get-invitation?id={id}");
        Assert.Equal((400, "INVITER_IS_NO_LONGER_A_MEMBER_OF_THE_ORGANIZATION"), (orphan.Status, orphan.Code));
        host.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal("INVITATION_NOT_FOUND", (await guest.Client.GetAsync($"/organization/get-invitation?id={id}")).Code);
    }

    [Fact]
    public async Task ListInvitations_ForMembersOnly()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var list = await cast.Member.Client.GetAsync("/organization/list-invitations");
        Assert.Equal(200, list.Status);
        Assert.Equal(["accepted", "accepted"], list.Json!.AsArray().Select(i => i!["status"]!.GetValue<string>()));
        var outsider = await cast.Outsider.Client.GetAsync($"/organization/list-invitations?organizationId={cast.OrganizationId}");
        Assert.Equal((403, "YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION"), (outsider.Status, outsider.Code));
        var none = await cast.Outsider.Client.GetAsync("/organization/list-invitations");
        Assert.Equal((400, "ORGANIZATION_ID_IS_REQUIRED"), (none.Status, none.Code));
        Assert.Equal(401, (await host.Client().GetAsync("/organization/list-invitations")).Status);
    }

    [Fact]
    public async Task RequireEmailVerificationOnInvitation_RefusesUnverifiedRecipients()
    {
        await using var host = await StartAsync(o => o.RequireEmailVerificationOnInvitation = true);
        var owner = await SignUpAsync(host, "strict");
        var guest = await SignUpAsync(host, "unverified");
        await CreateOrganizationAsync(owner, "strict");
        var invite = await owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member" });
        var id = Id(invite.Json!);
        var accept = await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = id });
        Assert.Equal((403, "EMAIL_VERIFICATION_REQUIRED_BEFORE_ACCEPTING_OR_REJECTING_INVITATION"), (accept.Status, accept.Code));
        Assert.Equal(403, (await guest.Client.PostAsync("/organization/reject-invitation", new { invitationId = id })).Status);
        Assert.Equal("EMAIL_VERIFICATION_REQUIRED_TO_VIEW_OR_LIST_INVITATIONS_FOR_THE_SESSION_EMAIL",
            (await guest.Client.GetAsync($"/organization/get-invitation?id={id}")).Code);

        await host.WithDbAsync(db => db.Users.Where(u => u.Id == guest.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerified, true)));
        Assert.Equal(200, (await guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = id })).Status);
    }
}
