using BetterAuth.Plugins.TwoFactor;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.TwoFactor.TwoFactorTestKit;

namespace BetterAuth.Tests.Plugins.TwoFactor;

/// <summary>Enrolment under concurrent requests: one two-factor row per user, which the user's row lock keeps.</summary>
public sealed class TwoFactorEnrolmentRaceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Enable_ManyTimesAtOnce_LeavesOneRow(bool skipVerification)
    {
        await using var host = await StartAsync(o => o.SkipVerificationOnEnable = skipVerification);
        var client = host.Client();
        await client.SignUpAsync("burst@example.com", Password);
        var userId = (await SessionAsync(client))!["user"]!["id"]!.GetValue<string>();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsync("/two-factor/enable", new { password = Password })));
        Assert.Contains(answers, r => r.Status == 200);
        Assert.Equal(1, await host.WithDbAsync(db => db.Set<TwoFactorRow>().CountAsync(t => t.UserId == userId)));
    }
}
