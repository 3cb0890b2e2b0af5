using BetterAuth.Tests.Support;
using static BetterAuth.Tests.Plugins.TwoFactor.TwoFactorTestKit;

namespace BetterAuth.Tests.Security;

/// <summary>OWASP ASVS 6.4.3: resetting a forgotten password does not bypass the second factor.</summary>
public sealed class PasswordResetKeepsMfaTests
{
    [Fact]
    public async Task ResetPassword_ThenSignIn_IsStillChallengedForTheSecondFactor()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "mfa-reset@example.com");

        var requested = await host.Client().PostAsync("/request-password-reset", new { email = user.Email, redirectTo = "/reset" });
        Assert.Equal(200, requested.Status);
        var token = host.Outbox.Last("reset-password")!.Token;
        var reset = await host.Client().PostAsync("/reset-password", new { token, newPassword = "a-brand-new-password" });
        Assert.Equal(200, reset.Status);
        Assert.Empty(reset.SetCookies); // the reset itself signs nobody in

        var client = host.Client();
        var signIn = await client.PostAsync("/sign-in/email", new { email = user.Email, password = "a-brand-new-password" });
        Assert.Equal(200, signIn.Status);
        Assert.Equal("{\"twoFactorRedirect\":true}", signIn.Text);
        Assert.Null(await SessionAsync(client));
    }
}
