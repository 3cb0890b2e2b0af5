using System.Diagnostics;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Organization;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace BetterAuth.Tests.Storage;

/// <summary>
/// Head-of-line blocking on PostgreSQL: a long write (an organization with 20,000 members being deleted) holds only
/// that organization, so sign-ups, sign-ins, profile updates, revocations and organization switches of other users go
/// through while it runs; only requests on the same organization wait for it.
/// </summary>
public sealed class HeadOfLineTests(ITestOutputHelper output)
{
    private const int Members = 20_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task WhileABigOrganizationIsBeingDeleted_UnrelatedUsersWritesFinishFirst()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new OrganizationPlugin()),
            storage: new TestStorage(Postgres: true, Redis: false));
        var owner = host.Client();
        await owner.SignUpAsync("big-owner@example.com");
        var big = (await owner.PostAsync("/organization/create", new { name = "Big", slug = "big" })).Json!["id"]!.GetValue<string>();
        await SeedMembersAsync(host, big);

        var bystander = host.Client();
        await bystander.SignUpAsync("bystander@example.com");
        var small = (await bystander.PostAsync("/organization/create", new { name = "Small", slug = "small" })).Json!["id"]!.GetValue<string>();
        var baseline = await UnrelatedWritesAsync(host, bystander, small, "before");

        // The long write, caught midway: the delete flow's lock on the organization is held, its 20,000 members deleted.
        await using var held = await HeldTransaction.BeginAsync(host);
        await held.Db.LockAsync(OrganizationStore.OrganizationLock(big));
        var deleted = await held.Db.Set<MemberRow>().Where(m => m.OrganizationId == big).ExecuteDeleteAsync();
        Assert.True(deleted > Members);
        var sameOrganization = owner.PostAsync("/organization/delete", new { organizationId = big });

        var during = await UnrelatedWritesAsync(host, bystander, small, "during").WaitAsync(Deadline);
        Assert.False(sameOrganization.IsCompleted, "the delete of the held organization finished before the long write ended");
        output.WriteLine($"unrelated writes: {baseline.TotalMilliseconds:F0} ms before, {during.TotalMilliseconds:F0} ms during the long write");

        await held.CommitAsync();
        Assert.Equal(200, (await sameOrganization.WaitAsync(Deadline)).Status);
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.OrganizationId == big)));
    }

    /// <summary>20,000 users, each a member of the organization, inserted in bulk.</summary>
    private static Task SeedMembersAsync(AuthTestHost host, string organizationId) => host.WithDbAsync(async db =>
    {
        await db.Database.ExecuteSqlRawAsync($$"""
            INSERT INTO "user" ("id", "name", "email", "emailVerified", "createdAt", "updatedAt")
            SELECT 'bulk-' || g, 'Bulk ' || g, 'bulk-' || g || '@example.com', false, now(), now() FROM generate_series(1, {{Members}}) g;
            INSERT INTO "member" ("id", "organizationId", "userId", "role", "createdAt")
            SELECT 'member-' || g, {0}, 'bulk-' || g, 'member', now() FROM generate_series(1, {{Members}}) g;
            """, organizationId);
        return 0;
    });

    /// <summary>
    /// A newcomer signs up (user and account in one transaction); another user signs in, renames themself, switches
    /// organization and revokes a session.
    /// </summary>
    private static async Task<TimeSpan> UnrelatedWritesAsync(AuthTestHost host, TestClient bystander, string organizationId, string label)
    {
        var clock = Stopwatch.StartNew();
        await host.Client().SignUpAsync($"newcomer-{label}@example.com");
        var other = host.Client();
        var signIn = await other.PostAsync("/sign-in/email", new { email = "bystander@example.com", password = "password123" });
        Assert.Equal(200, signIn.Status);
        Assert.Equal(200, (await bystander.PostAsync("/update-user", new { name = "Renamed " + label })).Status);
        Assert.Equal(200, (await bystander.PostAsync("/organization/set-active", new { organizationId })).Status);
        Assert.Equal(200, (await bystander.PostAsync("/revoke-session", new { token = signIn.Json!["token"]!.GetValue<string>() })).Status);
        return clock.Elapsed;
    }
}
