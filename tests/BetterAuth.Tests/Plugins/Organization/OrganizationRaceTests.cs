using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Organization;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.Organization.OrganizationTestKit;

namespace BetterAuth.Tests.Plugins.Organization;

/// <summary>
/// The organization's guarantees under concurrent requests, which its lock (one per organization) keeps: at least
/// one owner, the membership limit, and no member added to an organization being deleted.
/// </summary>
public sealed class OrganizationRaceTests
{
    [Fact]
    public async Task Remove_TwoOwnersRemovingEachOtherAtOnce_LeaveAnOwner()
    {
        await using var host = await StartAsync();
        for (var round = 0; round < 4; round++)
        {
            var first = await SignUpAsync(host, $"first{round}");
            var second = await SignUpAsync(host, $"second{round}");
            var organizationId = Id(await CreateOrganizationAsync(first, $"duel-{round}"));
            var secondMember = Id(await JoinAsync(first, second, organizationId, "owner"));
            var firstMember = await host.WithDbAsync(db => db.Set<MemberRow>()
                .Where(m => m.OrganizationId == organizationId && m.UserId == first.UserId).Select(m => m.Id).SingleAsync());

            var results = await Task.WhenAll(
                first.Client.PostAsync("/organization/remove-member", new { memberIdOrEmail = secondMember, organizationId }),
                second.Client.PostAsync("/organization/remove-member", new { memberIdOrEmail = firstMember, organizationId }));
            Assert.Single(results, r => r.Status == 200);
            // The second either counts one owner left, or finds its own membership gone.
            Assert.Single(results, r => r.Status == 400 && r.Code is "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER" or "MEMBER_NOT_FOUND");
            Assert.Equal(1, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.OrganizationId == organizationId && m.Role == "owner")));
        }
    }

    [Fact]
    public async Task Leave_WhileTheOtherOwnerIsLeaving_IsRefused()
    {
        await using var host = await StartAsync();
        var first = await SignUpAsync(host, "leaving-first");
        var second = await SignUpAsync(host, "leaving-second");
        var organizationId = Id(await CreateOrganizationAsync(first, "leaving"));
        await JoinAsync(first, second, organizationId, "owner");

        // The first owner's leave, midway: it holds the organization's lock and has deleted its membership.
        await using var held = await HeldTransaction.BeginAsync(host);
        await held.Db.LockAsync(OrganizationStore.OrganizationLock(organizationId));
        await held.Db.Set<MemberRow>().Where(m => m.OrganizationId == organizationId && m.UserId == first.UserId).ExecuteDeleteAsync();
        var leave = second.Client.PostAsync("/organization/leave", new { organizationId });
        await HeldTransaction.AssertWaitsAsync(leave, "the second owner's leave");
        await held.CommitAsync();
        var answer = await leave.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((400, "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER"), (answer.Status, answer.Code));
        Assert.Equal(1, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.OrganizationId == organizationId)));
    }

    [Fact]
    public async Task Accept_ManyInvitationsAtOnce_StayWithinTheMembershipLimit()
    {
        await using var host = await StartAsync(o => o.MembershipLimit = 3);
        var owner = await SignUpAsync(host, "limit-owner");
        var organizationId = Id(await CreateOrganizationAsync(owner, "small"));
        var guests = new List<(OrgUser Guest, string Invitation)>();
        for (var i = 0; i < 8; i++)
        {
            var guest = await SignUpAsync(host, $"joiner{i}");
            var invite = await owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member", organizationId });
            Assert.Equal(200, invite.Status);
            guests.Add((guest, Id(invite.Json!)));
        }
        var results = await Task.WhenAll(guests.Select(g =>
            g.Guest.Client.PostAsync("/organization/accept-invitation", new { invitationId = g.Invitation })));
        Assert.Equal(2, results.Count(r => r.Status == 200));
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal((403, "ORGANIZATION_MEMBERSHIP_LIMIT_REACHED"), (r.Status, r.Code)));
        Assert.Equal(3, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.OrganizationId == organizationId)));
    }

    [Fact]
    public async Task Delete_WhileInvitationsAreAccepted_LeavesNoMemberBehind_AndNeverFails()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "deleter");
        var organizationId = Id(await CreateOrganizationAsync(owner, "doomed"));
        var accepts = new List<Func<Task<Support.TestResponse>>>();
        for (var i = 0; i < 6; i++)
        {
            var guest = await SignUpAsync(host, $"latecomer{i}");
            var invite = await owner.Client.PostAsync("/organization/invite-member", new { email = guest.Email, role = "member", organizationId });
            var body = new { invitationId = Id(invite.Json!) };
            accepts.Add(() => guest.Client.PostAsync("/organization/accept-invitation", body));
        }
        var racing = accepts.Select(a => a()).ToList();
        var delete = await owner.Client.PostAsync("/organization/delete", new { organizationId });
        var answers = await Task.WhenAll(racing);
        Assert.Equal(200, delete.Status);
        Assert.All(answers, r => Assert.True(r.Status is 200 or 400, $"{r.Status} {r.Text}"));
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.OrganizationId == organizationId)));
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<InvitationRow>().CountAsync(i => i.OrganizationId == organizationId)));
    }
}
