using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.Passkey.PasskeyTestKit;

namespace BetterAuth.Tests.Plugins.Passkey;

/// <summary>list-user-passkeys, update-passkey and delete-passkey: each acts on the caller's own passkeys only.</summary>
public sealed class PasskeyManagementTests
{
    private static async Task<(TestClient Client, string PasskeyId)> WithPasskeyAsync(AuthTestHost host, string email, string? name = null)
    {
        var (client, _) = await UserAsync(host, email);
        var r = await RegisterAsync(client, new SoftAuthenticator(), name);
        return (client, r.Json!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_AnswersTheCallersPasskeysOnly()
    {
        await using var host = await StartAsync();
        var (alice, aliceKey) = await WithPasskeyAsync(host, "list-a@example.com", "A");
        host.Clock.Advance(TimeSpan.FromSeconds(1)); // oldest first
        await RegisterAsync(alice, new SoftAuthenticator(), "A2");
        await WithPasskeyAsync(host, "list-b@example.com", "B");
        var r = await alice.GetAsync("/passkey/list-user-passkeys");
        Assert.Equal(200, r.Status);
        Assert.Equal(["A", "A2"], r.Json!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(aliceKey, r.Json![0]!["id"]!.GetValue<string>());
        Assert.Equal(401, (await host.Client().GetAsync("/passkey/list-user-passkeys")).Status);
        var (empty, _) = await UserAsync(host, "list-c@example.com");
        Assert.Equal("[]", (await empty.GetAsync("/passkey/list-user-passkeys")).Text);
    }

    [Fact]
    public async Task Update_RenamesOwnPasskey_404ForUnknown_401ForAnotherUsers()
    {
        await using var host = await StartAsync();
        var (alice, aliceKey) = await WithPasskeyAsync(host, "upd-a@example.com", "Old");
        var (bob, bobKey) = await WithPasskeyAsync(host, "upd-b@example.com", "Bob's");

        var r = await alice.PostAsync("/passkey/update-passkey", new { id = aliceKey, name = "Phone" });
        Assert.Equal(200, r.Status);
        Assert.Equal("Phone", r.Json!["passkey"]!["name"]!.GetValue<string>());
        Assert.Equal(aliceKey, r.Json!["passkey"]!["id"]!.GetValue<string>());

        var unknown = await alice.PostAsync("/passkey/update-passkey", new { id = "nope", name = "x" });
        Assert.Equal(404, unknown.Status);
        Assert.Equal("PASSKEY_NOT_FOUND", unknown.Code);
        var foreign = await alice.PostAsync("/passkey/update-passkey", new { id = bobKey, name = "stolen" });
        Assert.Equal(401, foreign.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_REGISTER_THIS_PASSKEY", foreign.Code);
        Assert.Equal("Bob's", (await bob.GetAsync("/passkey/list-user-passkeys")).Json![0]!["name"]!.GetValue<string>());
        Assert.Equal(400, (await alice.PostAsync("/passkey/update-passkey", new { id = aliceKey })).Status);
    }

    [Fact]
    public async Task Delete_RemovesOwnPasskey_RefusesAnotherUsers_AndAnswersNullForUnknown()
    {
        await using var host = await StartAsync();
        var (alice, aliceKey) = await WithPasskeyAsync(host, "del-a@example.com");
        var (bob, bobKey) = await WithPasskeyAsync(host, "del-b@example.com");

        var foreign = await alice.PostAsync("/passkey/delete-passkey", new { id = bobKey });
        Assert.Equal(401, foreign.Status); // Better Auth 1.2.12 deletes it
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_REGISTER_THIS_PASSKEY", foreign.Code);
        Assert.Single((await bob.GetAsync("/passkey/list-user-passkeys")).Json!.AsArray());

        var own = await alice.PostAsync("/passkey/delete-passkey", new { id = aliceKey });
        Assert.Equal(200, own.Status);
        Assert.Equal("null", own.Text);
        Assert.Equal("[]", (await alice.GetAsync("/passkey/list-user-passkeys")).Text);
        var unknown = await alice.PostAsync("/passkey/delete-passkey", new { id = aliceKey });
        Assert.Equal(200, unknown.Status);
        Assert.Equal("null", unknown.Text);
        Assert.Equal(401, (await host.Client().PostAsync("/passkey/delete-passkey", new { id = bobKey })).Status);
        Assert.Equal(400, (await alice.PostAsync("/passkey/delete-passkey", new { })).Status);
    }

    [Fact]
    public async Task DeletingTheUser_DeletesTheirPasskeys()
    {
        await using var host = await StartAsync(auth: o => o.User.DeleteUser.Enabled = true);
        var (alice, _) = await WithPasskeyAsync(host, "gone@example.com");
        await WithPasskeyAsync(host, "stays@example.com");
        Assert.Equal(200, (await alice.PostAsync("/delete-user", new { password = "password123" })).Status);
        Assert.Single(await RowsAsync(host));
    }
}
