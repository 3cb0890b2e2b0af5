using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Passkey;
using BetterAuth.Tests.Support;
using static BetterAuth.Tests.Plugins.Passkey.PasskeyTestKit;

namespace BetterAuth.Tests.Plugins.Passkey;

/// <summary>Registrations of one credential under concurrency: the credential id's lock lets one through.</summary>
public sealed class PasskeyRaceTests
{
    [Fact]
    public async Task Register_WhileAnotherRegistrationOfTheCredentialIsUnderWay_IsRefused()
    {
        await using var host = await StartAsync();
        var (_, firstId) = await UserAsync(host, "first-holder@example.com");
        var (second, _) = await UserAsync(host, "second-holder@example.com");
        // A first ceremony warms up the verification, so the raced one reaches its check while the other is held.
        Assert.Equal(200, (await RegisterAsync((await UserAsync(host, "warm@example.com")).Client, new SoftAuthenticator())).Status);
        var options = (await second.GetAsync("/passkey/generate-register-options")).Json!;
        var response = new SoftAuthenticator().Register(options, Origin);
        var credentialId = response["id"]!.GetValue<string>();

        // Another registration of the same credential, midway: it holds the credential's lock and has inserted its row.
        await using var held = await HeldTransaction.BeginAsync(host);
        await held.Db.LockAsync(PasskeyStore.CredentialLock(credentialId));
        held.Db.Set<PasskeyRow>().Add(new PasskeyRow
        {
            Id = BetterAuth.Core.Crypto.RandomStrings.Id(),
            UserId = firstId,
            CredentialID = credentialId,
            PublicKey = "AA==",
            DeviceType = "singleDevice",
            CreatedAt = host.Runtime.Now,
        });
        await held.Db.SaveChangesAsync();
        var verify = second.PostAsync("/passkey/verify-registration", new { response });
        await HeldTransaction.AssertWaitsAsync(verify, "the second registration", TimeSpan.FromSeconds(2));
        await held.CommitAsync();
        var answer = await verify.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("PREVIOUSLY_REGISTERED", answer.Code);
        Assert.Single(await RowsAsync(host), p => p.CredentialID == credentialId);
    }
}
