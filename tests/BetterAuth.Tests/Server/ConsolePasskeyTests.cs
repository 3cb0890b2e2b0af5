using BetterAuth.Tests.Plugins.Passkey;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Server;

/// <summary>The console's passkey API in the standalone server (passkey plugin on by default): admins list and remove a user's passkeys.</summary>
public sealed class ConsolePasskeyTests
{
    private static string Passkeys(string userId) => $"{PagesTestServer.Origin}/console/api/users/{userId}/passkeys";

    private static async Task<(TestClient Client, string UserId, string PasskeyId, SoftAuthenticator Key)> UserWithPasskeyAsync(PagesTestServer server, string email)
    {
        var client = server.Client();
        var userId = (string)(await client.SignUpAsync(email))["user"]!["id"]!;
        var key = new SoftAuthenticator();
        var r = await PasskeyTestKit.RegisterAsync(client, key, "Phone");
        Assert.Equal(200, r.Status);
        return (client, userId, (string)r.Json!["id"]!, key);
    }

    [Fact]
    public async Task Admin_ListsAUsersPasskeys_AndRemovesOne_WhichThenNoLongerSignsIn()
    {
        await using var server = new PagesTestServer();
        var (user, userId, passkeyId, key) = await UserWithPasskeyAsync(server, "owner@console.test");
        var admin = await server.AdminAsync("boss@console.test");

        var list = await admin.GetAsync(Passkeys(userId));
        Assert.Equal(200, list.Status);
        Assert.Equal("Phone", (string)Assert.Single(list.Json!.AsArray())!["name"]!);

        var removed = await admin.PostAsync($"{Passkeys(userId)}/{passkeyId}/delete");
        Assert.Equal(200, removed.Status);
        Assert.Equal("""{"status":true}""", removed.Text);
        Assert.Equal("[]", (await user.GetAsync("/passkey/list-user-passkeys")).Text);
        var (signIn, _) = await PasskeyTestKit.SignInAsync(server.Client(), key);
        Assert.Equal(401, signIn.Status);

        var again = await admin.PostAsync($"{Passkeys(userId)}/{passkeyId}/delete");
        Assert.Equal(404, again.Status);
        Assert.Equal("PASSKEY_NOT_FOUND", again.Code);
    }

    [Fact]
    public async Task RemovingAPasskey_NamesItsOwner()
    {
        await using var server = new PagesTestServer();
        var (_, _, passkeyId, _) = await UserWithPasskeyAsync(server, "victim@console.test");
        var (_, otherId, _, _) = await UserWithPasskeyAsync(server, "other@console.test");
        var admin = await server.AdminAsync("boss@console.test");
        Assert.Equal(404, (await admin.PostAsync($"{Passkeys(otherId)}/{passkeyId}/delete")).Status);
    }

    [Fact]
    public async Task NonAdmins_CannotListOrRemovePasskeys()
    {
        await using var server = new PagesTestServer();
        var (user, userId, passkeyId, _) = await UserWithPasskeyAsync(server, "self@console.test");
        Assert.Equal(401, (await server.Client().GetAsync(Passkeys(userId))).Status);
        var list = await user.GetAsync(Passkeys(userId));
        Assert.Equal(403, list.Status);
        Assert.Equal("ONLY_ADMINISTRATORS_CAN_USE_THE_CONSOLE", list.Code);
        Assert.Equal(403, (await user.PostAsync($"{Passkeys(userId)}/{passkeyId}/delete")).Status);
        Assert.Single((await user.GetAsync("/passkey/list-user-passkeys")).Json!.AsArray());
    }
}
