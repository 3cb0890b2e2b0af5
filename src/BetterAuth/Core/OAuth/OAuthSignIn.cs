using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.OAuth;

/// <summary>The tokens and ids an account row gets from one social sign-in.</summary>
internal sealed record OAuthAccountData(string ProviderId, string AccountId)
{
    public string? AccessToken { get; init; }
    public string? RefreshToken { get; init; }
    public string? IdToken { get; init; }
    public DateTime? AccessTokenExpiresAt { get; init; }
    public DateTime? RefreshTokenExpiresAt { get; init; }
    public string? Scope { get; init; }

    public static OAuthAccountData FromTokens(string providerId, string accountId, OAuthTokens tokens) => new(providerId, accountId)
    {
        AccessToken = tokens.AccessToken,
        RefreshToken = tokens.RefreshToken,
        IdToken = tokens.IdToken,
        AccessTokenExpiresAt = tokens.AccessTokenExpiresAt,
        RefreshTokenExpiresAt = tokens.RefreshTokenExpiresAt,
        // Comma-joined as Better Auth stores it; a token answer without scope stores "".
        Scope = tokens.Scopes is null ? null : string.Join(",", tokens.Scopes),
    };

    /// <summary>A new account row for <paramref name="userId"/>; tokens are stored as received (plaintext, as Better Auth does).</summary>
    public Account ToAccount(string userId, DateTime now) => new()
    {
        Id = RandomStrings.Id(),
        AccountId = AccountId,
        ProviderId = ProviderId,
        UserId = userId,
        AccessToken = AccessToken,
        RefreshToken = RefreshToken,
        IdToken = IdToken,
        AccessTokenExpiresAt = AccessTokenExpiresAt,
        RefreshTokenExpiresAt = RefreshTokenExpiresAt,
        Scope = Scope,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Copies the values this sign-in brought onto a stored account; absent ones keep what was there.</summary>
    public void ApplyTo(Account account)
    {
        if (AccessToken is not null) account.AccessToken = AccessToken;
        if (RefreshToken is not null) account.RefreshToken = RefreshToken;
        if (IdToken is not null) account.IdToken = IdToken;
        if (AccessTokenExpiresAt is not null) account.AccessTokenExpiresAt = AccessTokenExpiresAt;
        if (RefreshTokenExpiresAt is not null) account.RefreshTokenExpiresAt = RefreshTokenExpiresAt;
        if (Scope is not null) account.Scope = Scope;
    }
}

/// <summary>
/// The outcome of <see cref="OAuthSignIn.SignInAsync"/>: the sign-in (a session, or a challenge's answer), or Better
/// Auth's error phrase ("account not linked").
/// </summary>
internal sealed record OAuthSignInResult(SignInOutcome? SignIn, bool IsRegister, string? Error)
{
    public static OAuthSignInResult Failed(string error) => new(null, false, error);
}

/// <summary>
/// Turns a provider's user into a signed-in user (Better Auth's handleOAuthUserInfo): find the user by the linked
/// account, else by email; link implicitly only when linking is on, the provider is trusted or says the email is
/// verified, and the user's own email is verified; otherwise create the user with the account in one transaction;
/// then issue the session.
/// </summary>
internal static class OAuthSignIn
{
    public const string AccountNotLinked = "account not linked";
    public const string SignUpDisabled = "signup disabled";
    public const string UnableToCreateUser = "unable to create user";
    public const string UnableToLinkAccount = "unable to link account";

    /// <summary>May a provider's account be attached to an existing user with the same email?</summary>
    public static bool MayLink(AuthContext ctx, string providerId, bool emailVerified)
    {
        var linking = ctx.Auth.Options.Account.AccountLinking;
        return linking.Enabled && (emailVerified || linking.TrustedProviders.Contains(providerId));
    }

    /// <param name="ctx">The request being answered.</param>
    /// <param name="info">The user the provider vouches for; its email is set.</param>
    /// <param name="name">The name a new user gets (the callback falls back to the email, the ID-token path to "").</param>
    /// <param name="account">The provider account (id, provider, tokens) to find, link or create.</param>
    /// <param name="callbackUrl">Where a verification mail sent to a new user leads back to.</param>
    /// <param name="disableSignUp">Refuse to create a user that does not exist yet.</param>
    /// <param name="overrideUserInfo">Update an existing user from the provider's answer.</param>
    public static async Task<OAuthSignInResult> SignInAsync(AuthContext ctx, OAuthUserInfo info, string name, OAuthAccountData account,
        string? callbackUrl, bool disableSignUp, bool overrideUserInfo)
    {
        var store = ctx.Store;
        var email = info.Email!.ToLowerInvariant();
        User? user;
        var isRegister = false;

        // The account first: the provider's email may have changed since the account was linked.
        var linked = await store.FindAccountAsync(account.AccountId, account.ProviderId);
        user = linked is null ? null : await store.FindUserByIdAsync(linked.UserId);
        user ??= await store.FindUserByEmailAsync(email);

        if (user is not null)
        {
            // A found account may belong to another user than the one the email names; Better Auth then keeps that account.
            linked ??= (await store.FindAccountsAsync(user.Id))
                .FirstOrDefault(a => a.ProviderId == account.ProviderId && a.AccountId == account.AccountId);
            if (linked is null)
            {
                if (!MayLink(ctx, account.ProviderId, info.EmailVerified)) return OAuthSignInResult.Failed(AccountNotLinked);
                // The provider vouches for its own account's email, not for whoever registered it here (GHSA-g38m-r43w-p2q7).
                if (ctx.Auth.Options.Account.AccountLinking.RequireLocalEmailVerified && !user.EmailVerified)
                    return OAuthSignInResult.Failed(AccountNotLinked);
                try
                {
                    await store.CreateAccountAsync(account.ToAccount(user.Id, ctx.Auth.Now));
                }
                catch (UniqueViolationException) { return OAuthSignInResult.Failed(UnableToLinkAccount); }
            }
            else if (ctx.Auth.Options.Account.UpdateAccountOnSignIn)
            {
                await store.UpdateAccountAsync(linked.Id, account.ApplyTo);
            }
            if (overrideUserInfo) user = await OverrideUserAsync(ctx, user, info, email) ?? user;
        }
        else
        {
            if (disableSignUp) return OAuthSignInResult.Failed(SignUpDisabled);
            var created = store.NewUser(email, name);
            created.Image = info.Image;
            created.EmailVerified = info.EmailVerified;
            try
            {
                user = await store.CreateUserAsync(created, account.ToAccount(created.Id, ctx.Auth.Now));
            }
            catch (AuthError e) when (e.Message.Length > 0)
            {
                return OAuthSignInResult.Failed(e.Message);
            }
            catch (UniqueViolationException)
            {
                // A concurrent sign-up took the email (or a plugin's unique field) between our lookup and the insert.
                return OAuthSignInResult.Failed(UnableToCreateUser);
            }
            isRegister = true;
            if (!info.EmailVerified && ctx.Auth.Options.EmailVerification.SendOnSignUp)
                await VerificationMail.SendIfEnabledAsync(ctx, user, callbackUrl);
        }

        // Lifecycle hooks may refuse the session (a banned user): that AuthError goes to the caller.
        var signIn = await SessionManager.SignInAsync(ctx, user, SignInMethods.Social, dontRemember: null, account.ProviderId);
        return new OAuthSignInResult(signIn, isRegister, null);
    }

    private static async Task<User?> OverrideUserAsync(AuthContext ctx, User user, OAuthUserInfo info, string email)
    {
        try
        {
            return await ctx.Store.UpdateUserAsync(user.Id, u =>
            {
                var sameEmail = email == u.Email;
                u.Name = info.Name ?? u.Name;
                u.Image = info.Image;
                u.EmailVerified = sameEmail ? u.EmailVerified || info.EmailVerified : info.EmailVerified;
                u.Email = email;
                u.UpdatedAt = ctx.Auth.Now;
            });
        }
        catch (UniqueViolationException)
        {
            // The provider's new email belongs to another user: keep ours rather than fail the sign-in.
            Telemetry.CoreLog.OAuthEmailNotOverridden(ctx.Auth.Logger, user.Id);
            return null;
        }
    }
}
