using System.Net.Http.Json;
using BetterAuth.Plugins.Admin;
using BetterAuth.Server;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Plugins.Admin;

public sealed class PromoteAdminCommandTests
{
    [Fact]
    public async Task PromoteAdmin_GivesTheUserTheAdminRole()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (client, userId) = await kit.UserAsync("future-admin@example.com");
        Assert.Equal(403, (await client.GetAsync("/admin/list-users")).Status);

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await AdminCommands.RunAsync(kit.Host.Services, ["promote-admin", "Future-Admin@Example.com"], output, error);
        Assert.Equal(0, code);
        Assert.Contains("future-admin@example.com", output.ToString());
        Assert.Equal("admin", await kit.ColumnAsync<string>(userId, "role"));
        Assert.Equal(200, (await client.GetAsync("/admin/list-users")).Status);
    }

    [Fact]
    public async Task PromoteAdmin_FailsForUnknownEmailsMissingArgumentsAndWithoutThePlugin()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var error = new StringWriter();
        Assert.Equal(1, await AdminCommands.RunAsync(kit.Host.Services, ["promote-admin", "nobody@example.com"], TextWriter.Null, error));
        Assert.Contains("No user", error.ToString());
        Assert.Equal(1, await AdminCommands.RunAsync(kit.Host.Services, ["promote-admin"], TextWriter.Null, TextWriter.Null));

        await using var plain = await AuthTestHost.StartAsync();
        await plain.Client().SignUpAsync("someone@example.com");
        var disabled = new StringWriter();
        Assert.Equal(1, await AdminCommands.RunAsync(plain.Services, ["promote-admin", "someone@example.com"], TextWriter.Null, disabled));
        Assert.Contains("disabled", disabled.ToString());

        Assert.True(AdminCommands.Handles(["promote-admin", "x@example.com"]));
        Assert.False(AdminCommands.Handles(["migrate"]));
    }

    [Fact]
    public async Task StandaloneServer_BindsAdminOptions_AndPromotesThroughItsServices()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("DATABASE_URL", Path.Combine(dir, "admin.db"));
            b.UseSetting("BETTER_AUTH_SECRET", "a-development-secret-that-is-long-enough-123");
            b.UseSetting("BETTER_AUTH_URL", "http://localhost");
            b.UseSetting("BETTER_AUTH_RATE_LIMIT", "0");
            b.UseSetting("Plugins:Admin:AdminUserIds:0", "configured-id");
            b.UseSetting("Plugins:Admin:ImpersonationSessionDuration", "120");
        });
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var plugin = factory.Services.GetRequiredService<BetterAuthOptions>().Plugins.OfType<AdminPlugin>().Single();
        Assert.Equal(["configured-id"], plugin.Options.AdminUserIds);
        Assert.Equal(120, plugin.Options.ImpersonationSessionDuration);

        var signUp = await client.PostAsJsonAsync("/api/auth/sign-up/email", new { email = "srv-admin@example.com", password = "password123", name = "S" });
        Assert.Equal(200, (int)signUp.StatusCode);
        Assert.Equal(0, await AdminCommands.RunAsync(factory.Services, ["promote-admin", "srv-admin@example.com"], TextWriter.Null, TextWriter.Null));
        var cookie = signUp.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("better-auth.session_token=", StringComparison.Ordinal)).Split(';')[0];
        var list = new HttpRequestMessage(HttpMethod.Get, "/api/auth/admin/list-users");
        list.Headers.Add("Cookie", cookie);
        Assert.Equal(200, (int)(await client.SendAsync(list)).StatusCode);
    }
}
