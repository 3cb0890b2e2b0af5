using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Passkey;

/// <summary>
/// Better Auth's <c>passkey</c> plugin (1.2.12): WebAuthn passkeys as a primary sign-in method, with Better Auth's
/// routes, answers, challenge cookie and <c>passkey</c> table, so passkeys registered by either server sign in on the
/// other and the official <c>passkeyClient</c> works unchanged. Verification is fido2-net-lib's. Deliberate
/// differences from 1.2.12 (its defects): challenges are single use and expire from when they were made, a credential id
/// is registered once, only the owner deletes a passkey, and malformed responses are 400s, not 500s.
/// </summary>
public sealed class PasskeyPlugin : IBetterAuthPlugin, IAuthLifecycle
{
    /// <summary>The plugin with <paramref name="options"/> (validated here), or Better Auth's defaults.</summary>
    public PasskeyPlugin(PasskeyOptions? options = null)
    {
        Options = options ?? new PasskeyOptions();
        Options.Validate();
    }

    /// <summary>The options the plugin runs with.</summary>
    public PasskeyOptions Options { get; }

    /// <summary>The sign-in method name challenges see (<see cref="Core.Plugins.SignInAttempt.Method"/>): a passkey assertion (POST /passkey/verify-authentication).</summary>
    internal const string SignInMethod = "passkey";

    /// <summary>Better Auth's plugin id, <c>passkey</c> (its endpoints are listed under "Passkey").</summary>
    public string Id => "passkey";

    /// <summary>Adds the <c>passkey</c> table, the 7 endpoints, their JSON types and the user-deletion hook.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        builder.AddModel(PasskeyRow.Configure);
        var challenges = new PasskeyChallenges(Options);
        foreach (var endpoint in new PasskeyRegistrationEndpoints(Options, challenges).All) builder.AddEndpoint(endpoint);
        foreach (var endpoint in new PasskeyAuthenticationEndpoints(Options, challenges).All) builder.AddEndpoint(endpoint);
        foreach (var endpoint in PasskeyManagementEndpoints.All) builder.AddEndpoint(endpoint);
        builder.AddJsonTypes(PasskeyJsonContext.Default);
        builder.AddLifecycle(this);
    }

    /// <summary>A deleted user's passkeys go first: databases created by Better Auth have no cascade on passkey.userId.</summary>
    public async ValueTask OnUserDeletingAsync(AuthStoreContext ctx, User user) =>
        await PasskeyStore.DeleteAllAsync(ctx.Db, user.Id, CancellationToken.None);
}
