using BetterAuth.Core.Events;

namespace BetterAuth.Tests.AspNetCore;

/// <summary>An <c>IAuthLifecycle</c> the host registers in DI: before/after create and update of users and sessions.</summary>
public sealed class DatabaseHookTests
{
    [Fact]
    public async Task SignUp_RunsUserAndSessionCreateHooks_OnceEachInOrder()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (_, id) = await host.UserAsync("hooks@db.test");
        Assert.Equal(
            ["OnUserCreatingAsync", "OnUserCreatedAsync", "OnSessionCreatingAsync", "OnSessionCreatedAsync"],
            host.Hooks.Calls.Select(c => c.Hook));
        Assert.All(host.Hooks.Calls, c => Assert.Equal(id, c.Id));
        Assert.Equal("hooks@db.test", host.Hooks.Named("OnUserCreatedAsync").Single().Detail);
    }

    [Fact]
    public async Task UpdateUser_RunsTheUpdateHooksWithTheNewValues()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("update@db.test");
        Assert.Equal(200, (await client.PostAsync("/update-user", new { name = "New Name" })).Status);
        Assert.Equal((id, "New Name"), (host.Hooks.Named("OnUserUpdatingAsync").Single().Id, host.Hooks.Named("OnUserUpdatingAsync").Single().Detail));
        Assert.Equal("New Name", host.Hooks.Named("OnUserUpdatedAsync").Single().Detail);
    }

    [Fact]
    public async Task RefusedUserUpdate_AnswersTheHostsError_AndLeavesTheRow()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("refuse@db.test");
        host.Hooks.RefuseUserUpdate = u => u.Name == "Forbidden";
        var r = await client.PostAsync("/update-user", new { name = "Forbidden" });
        Assert.Equal((400, "UPDATE_REFUSED_BY_HOST"), (r.Status, r.Code));
        Assert.Empty(host.Hooks.Named("OnUserUpdatedAsync"));
        Assert.Equal("Test User", await host.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == id).Name)));
        // The refused change does not ride along with the next save.
        Assert.Equal(200, (await client.PostAsync("/update-user", new { image = "https://img.test/a.png" })).Status);
        Assert.Equal("Test User", await host.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == id).Name)));
    }

    [Fact]
    public async Task RefusedSession_RefusesTheSignIn_WithNoSignedInEvent()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        await host.UserAsync("blocked@db.test");
        host.Hooks.RefuseSession = _ => true;
        host.Events.Clear();
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "blocked@db.test", password = "password123" });
        Assert.Equal((403, "SIGNIN_REFUSED_BY_HOST"), (r.Status, r.Code));
        Assert.Empty(host.Events.Of<SignedInEvent>());
    }

    [Fact]
    public async Task SessionRefresh_RunsTheSessionUpdateHooksWithTheNewExpiry()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("refresh@db.test");
        host.Clock.Advance(TimeSpan.FromDays(2));
        var r = await client.GetAsync("/get-session");
        Assert.Equal(200, r.Status);
        var expected = host.Clock.GetUtcNow().UtcDateTime.AddDays(7);
        var updating = host.Hooks.Named("OnSessionUpdatingAsync").Single();
        Assert.Equal((id, expected.ToString("O")), (updating.Id, updating.Detail));
        Assert.Equal(expected.ToString("O"), host.Hooks.Named("OnSessionUpdatedAsync").Single().Detail);
        // Not on every get-session: only when a refresh is due.
        await client.GetAsync("/get-session");
        Assert.Single(host.Hooks.Named("OnSessionUpdatingAsync"));
    }
}
