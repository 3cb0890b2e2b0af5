using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Better Auth's own open-redirect and trusted-origin fixes after 1.2.12 (and the two before it), each replayed here:
/// the value the fix was about is refused by us. Sources are commits in Better Auth's repository; see SECURITY.md.
/// </summary>
public sealed class UpstreamUrlAdvisoryTests
{
    private static void AssertRefused(TestResponse r, string what)
    {
        Assert.True(r.Status == 403 && r.Code is "INVALID_CALLBACKURL" or "INVALID_ORIGIN", $"{what}: {r.Status} {r.Text}");
        Assert.Null(r.Header("Location"));
    }

    /// <summary>CVE-2024-56734 (fixed in 1.1.6, "enforce origin checker for GET methods"): verify-email redirected anywhere.</summary>
    [Theory]
    [InlineData("/verify-email?token=x&callbackURL=")]
    [InlineData("/reset-password/x?callbackURL=")]
    [InlineData("/delete-user/callback?token=x&callbackURL=")]
    public async Task Cve2024_56734_GetLinksCheckTheirCallback(string link)
    {
        await using var host = await AuthTestHost.StartAsync(o => o.User.DeleteUser.Enabled = true);
        AssertRefused(await host.Client().GetAsync(link + Uri.EscapeDataString("https://evil.com/")), link);
    }

    /// <summary>CVE-2025-27143 (fixed in 1.1.21): relative-looking values that browsers resolve to another host.</summary>
    [Theory]
    [InlineData("//evil.com")]
    [InlineData("/\\/evil.com")]
    [InlineData("/%5C/evil.com")]
    [InlineData("/%2F/evil.com")]
    [InlineData("\\\\evil.com")]
    [InlineData("/\t/evil.com")]
    public async Task Cve2025_27143_SchemeRelativeFormsAreRefused(string callback)
    {
        await using var host = await AuthTestHost.StartAsync();
        AssertRefused(await host.Client().GetAsync($"/verify-email?token=x&callbackURL={Uri.EscapeDataString(callback)}"), callback);
    }

    /// <summary>better-auth#5624 (1.3.33): a value without a scheme satisfied a scheme-less wildcard as text.</summary>
    [Fact]
    public async Task Pr5624_TextThatIsNoUrlDoesNotSatisfyAWildcard()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.TrustedOrigins.Add("*.example.com"));
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "a@example.com", password = "password123", callbackURL = "malicious.com?.example.com" });
        AssertRefused(r, "malicious.com?.example.com");
    }

    /// <summary>better-auth#6904 (1.4.8): a wildcard with a scheme trusts that scheme only.</summary>
    [Fact]
    public async Task Pr6904_WildcardKeepsItsScheme()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.TrustedOrigins.Add("http://*.example.com"));
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "a@example.com", password = "password123", callbackURL = "https://api.example.com/" });
        AssertRefused(r, "https under an http wildcard");
    }

    /// <summary>
    /// better-auth#9645 (1.7.0): an app-scheme entry naming a host was matched as a text prefix
    /// (<c>myapp://callback.attacker.tld</c>), and one naming a path could be left with <c>..</c>.
    /// </summary>
    [Theory]
    [InlineData("myapp://callback", "myapp://callback.attacker.tld")]
    [InlineData("myapp://callback/cb", "myapp://callback/cb/../evil")]
    [InlineData("myapp://callback/cb", "myapp://callback/cbx")]
    public async Task Pr9645_AppSchemeEntriesMatchByHostAndPath(string trusted, string callback)
    {
        await using var host = await AuthTestHost.StartAsync(o => o.TrustedOrigins.Add(trusted));
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "a@example.com", password = "password123", callbackURL = callback });
        AssertRefused(r, callback);
    }

    /// <summary>Better Auth c25260a (after 1.7.1): a non-string redirect parameter answered 500; ours is a 400.</summary>
    [Theory]
    [InlineData("""{"email":"a@example.com","password":"password123","callbackURL":{"a":1}}""")]
    [InlineData("""{"email":"a@example.com","password":"password123","callbackURL":["https://evil.com"]}""")]
    [InlineData("""{"email":"a@example.com","redirectTo":{"toString":"https://evil.com"}}""")]
    public async Task C25260a_NonStringRedirectParameterIsA400(string json)
    {
        await using var host = await AuthTestHost.StartAsync();
        var path = json.Contains("redirectTo") ? "/request-password-reset" : "/sign-in/email";
        var r = await host.Client().PostRawAsync(path, json);
        Assert.Equal(400, r.Status);
        Assert.Null(r.Header("Location"));
    }
}
