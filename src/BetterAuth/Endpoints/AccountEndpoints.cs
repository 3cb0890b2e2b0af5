using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.OAuth;
using BetterAuth.Core.Storage;
using Microsoft.Extensions.Logging;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

/// <summary>
/// Linked accounts (api/routes/account.ts). Bodies are validated before the session is looked at, as Better Auth's
/// schemas run before its session middleware: a bad body without a session is a 400, not a 401.
/// </summary>
internal static class AccountEndpoints
{
    /// <summary>get-access-token refreshes a token that expires within this window.</summary>
    private static readonly TimeSpan RefreshWindow = TimeSpan.FromSeconds(5);

    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Get("/list-accounts", ListAccounts) with
        {
            Session = SessionRequirement.Required, OperationId = "listUserAccounts", Summary = "List all accounts linked to the user",
            Response = Returns("Success", ApiSchema.ArrayOf(ApiSchema.ObjectOf(Str("id").Required(), Str("provider").Required(),
                Date("createdAt").Required(), Date("updatedAt").Required(), Str("accountId").Required(), Strings("scopes").Required()))),
        },
        AuthEndpoint.Post("/unlink-account", UnlinkAccount) with
        {
            OperationId = "unlinkAccount", Summary = "Unlink an account",
            Request = OAuthJsonContext.Default.UnlinkAccountRequest,
            Response = Returns("Success", Bool("status")),
        },
        AuthEndpoint.Post("/get-access-token", GetAccessToken) with
        {
            OperationId = "getAccessToken", Summary = "Get a valid access token, doing a refresh if needed",
            Request = OAuthJsonContext.Default.ProviderTokenRequest,
            Response = Returns("A Valid access token", Str("accessToken"), Date("accessTokenExpiresAt"), Str("idToken"), Str("refreshToken"),
                Date("refreshTokenExpiresAt"), Str("tokenType")),
        },
        AuthEndpoint.Post("/refresh-token", RefreshToken) with
        {
            OperationId = "refreshToken", Summary = "Refresh the access token using a refresh token",
            Request = OAuthJsonContext.Default.ProviderTokenRequest,
            Response = Returns("Access token refreshed successfully", Str("accessToken"), Date("accessTokenExpiresAt"), Str("idToken"),
                Str("refreshToken"), Date("refreshTokenExpiresAt"), Str("tokenType")),
        },
        AuthEndpoint.Post("/account-info", AccountInfo) with
        {
            OperationId = "accountInfo", Summary = "Get the account info provided by the provider",
            Request = OAuthJsonContext.Default.AccountInfoRequest,
            Response = Returns("Success",
                Obj("user", "The user as the provider describes it",
                    Str("id").Required(), Str("name"), Str("email"), Str("image"), Bool("emailVerified")).Required(),
                AnyObject("data", "The provider's raw profile").Required()),
        },
        AuthEndpoint.Get("/account-info", AccountInfoByQuery) with
        {
            Session = SessionRequirement.Required, OperationId = "accountInfoByQuery", Summary = "Get the account info provided by the provider",
            Query = [Str("accountId", "The account to describe")],
            Response = Returns("What the provider says about the account"),
        },
    ];

    /// <summary>GET /list-accounts: the key is <c>provider</c> (not providerId) at this version; scopes split on commas.</summary>
    private static async ValueTask<AuthResult> ListAccounts(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        var accounts = await ctx.Store.FindAccountsAsync(current.User.Id);
        return AuthResult.Json(accounts.Select(a => new AccountListItem(a.Id, a.ProviderId, a.CreatedAt, a.UpdatedAt, a.AccountId,
            string.IsNullOrEmpty(a.Scope) ? [] : a.Scope.Split(','))).ToList());
    }

    /// <summary>POST /unlink-account (fresh session): never the last account unless allowUnlinkingAll.</summary>
    private static async ValueTask<AuthResult> UnlinkAccount(AuthContext ctx)
    {
        var body = ctx.ReadBody(OAuthJsonContext.Default.UnlinkAccountRequest);
        var current = await ctx.RequireSessionAsync();
        var freshAge = ctx.Auth.Options.Session.FreshAge;
        if (freshAge > 0 && (ctx.Auth.Now - current.Session.UpdatedAt).TotalSeconds >= freshAge)
            throw AuthError.Forbidden(CoreErrors.SessionNotFresh);

        var allowLast = ctx.Auth.Options.Account.AccountLinking.AllowUnlinkingAll;
        var accounts = await ctx.Store.FindAccountsAsync(current.User.Id);
        if (accounts.Count == 1 && !allowLast) throw AuthError.BadRequest(OAuthErrors.FailedToUnlinkLastAccount);
        var account = accounts.FirstOrDefault(a => body.AccountId is not null
                          ? a.AccountId == body.AccountId && a.ProviderId == body.ProviderId
                          : a.ProviderId == body.ProviderId)
                      ?? throw AuthError.BadRequest(CoreErrors.AccountNotFound);
        // The count is checked again in the delete itself: a concurrent unlink may have taken the other account.
        if (!await ctx.Store.DeleteAccountAsync(account.Id, current.User.Id, allowLast))
            throw AuthError.BadRequest(OAuthErrors.FailedToUnlinkLastAccount);
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>POST /get-access-token: the stored token, refreshed first when it expires within 5 seconds.</summary>
    private static async ValueTask<AuthResult> GetAccessToken(AuthContext ctx)
    {
        var (provider, account) = await ProviderAccountAsync(ctx);
        return AuthResult.Json(await ValidAccessTokenAsync(ctx, provider, account));
    }

    /// <summary>POST /refresh-token: always asks the provider for new tokens and answers them as received.</summary>
    private static async ValueTask<AuthResult> RefreshToken(AuthContext ctx)
    {
        var (provider, account) = await ProviderAccountAsync(ctx);
        if (!provider.SupportsRefresh) throw AuthError.BadRequest(OAuthErrors.NoRefresh(provider.Id));
        // Better Auth sends an absent refresh token to the provider and fails there; we fail the same way without the call.
        if (string.IsNullOrEmpty(account.RefreshToken)) throw OAuthErrors.TokenCallFailed(OAuthErrors.FailedToRefreshAccessToken, null);
        try
        {
            var tokens = await provider.RefreshAccessTokenAsync(account.RefreshToken, ctx.Http.RequestAborted);
            await StoreRefreshedAsync(ctx, account, tokens);
            return AuthResult.Json(RefreshedTokensResponse.From(tokens));
        }
        catch (OAuthProviderException e)
        {
            Core.Telemetry.CoreLog.OAuthTokenRefreshFailed(ctx.Auth.Logger, provider.Id, e.Message);
            throw OAuthErrors.TokenCallFailed(OAuthErrors.FailedToRefreshAccessToken, e);
        }
    }

    /// <summary>POST /account-info (1.2.12): what the provider says about one of the user's accounts (by the provider's user id).</summary>
    private static async ValueTask<AuthResult> AccountInfo(AuthContext ctx)
    {
        var body = ctx.ReadBody(OAuthJsonContext.Default.AccountInfoRequest);
        var current = await ctx.RequireSessionAsync();
        // Better Auth takes the first account with this id of any user, then refuses it if it is not theirs.
        var account = (await ctx.Store.FindAccountsAsync(current.User.Id)).FirstOrDefault(a => a.AccountId == body.AccountId)
                      ?? throw AuthError.BadRequest(CoreErrors.AccountNotFound);
        var info = await ProviderUserInfoAsync(ctx, account);
        return info is null ? AuthResult.Null : AuthResult.Json(AccountInfoResponse.From(info));
    }

    /// <summary>
    /// GET /account-info?accountId=… (its name from Better Auth 1.3 on). 1.3–1.6 clients pass the provider's user id,
    /// 1.7 the account's row id; both select only among the signed-in user's accounts. The answer names the account,
    /// and a provider that returns no user is a 401, as in 1.7.
    /// </summary>
    private static async ValueTask<AuthResult> AccountInfoByQuery(AuthContext ctx)
    {
        var accountId = ctx.Query("accountId");
        var current = await ctx.RequireSessionAsync();
        var accounts = await ctx.Store.FindAccountsAsync(current.User.Id);
        var account = string.IsNullOrEmpty(accountId)
            ? null
            : accounts.FirstOrDefault(a => a.Id == accountId) ?? accounts.FirstOrDefault(a => a.AccountId == accountId);
        if (account is null) throw AuthError.BadRequest(CoreErrors.AccountNotFound);
        var info = await ProviderUserInfoAsync(ctx, account) ?? throw AuthError.Unauthorized(OAuthErrors.FailedToGetUserInfo);
        return AuthResult.Json(AccountInfoResponse.From(info) with { Account = new AccountInfoAccount(account.Id, account.ProviderId, account.AccountId) });
    }

    // ---- shared steps -----------------------------------------------------------------------------

    /// <summary>The provider's view of the account's user, with a valid (refreshed if needed) access token.</summary>
    private static async Task<OAuthUserInfo?> ProviderUserInfoAsync(AuthContext ctx, Account account)
    {
        // Better Auth answers 500 here; the account's provider is no longer configured, which the client cannot fix either.
        var provider = SocialEndpoints.Providers(ctx).Find(account.ProviderId)
                       ?? throw AuthError.BadRequest(OAuthErrors.NotConfigured(account.ProviderId));
        var tokens = await ValidAccessTokenAsync(ctx, provider, account);
        // The answer must be about this account's provider user, whatever the stored tokens say.
        return await SocialEndpoints.UserInfoAsync(ctx, provider, new OAuthTokens
        {
            AccessToken = tokens.AccessToken,
            AccessTokenExpiresAt = tokens.AccessTokenExpiresAt,
            Scopes = tokens.Scopes,
            IdToken = tokens.IdToken,
        }, null, account.AccountId);
    }

    /// <summary>
    /// get-access-token's and refresh-token's preamble: body, session (401 with no body without one: over HTTP the
    /// body's userId never stands in for it), a configured provider, and the user's account (by row id when given).
    /// </summary>
    private static async Task<(OAuthProvider, Account)> ProviderAccountAsync(AuthContext ctx)
    {
        var body = ctx.ReadBody(OAuthJsonContext.Default.ProviderTokenRequest);
        var current = await ctx.GetSessionAsync() ?? throw new AuthError(401);
        var provider = SocialEndpoints.Providers(ctx).Find(body.ProviderId) ?? throw AuthError.BadRequest(OAuthErrors.NotSupported(body.ProviderId));
        var account = (await ctx.Store.FindAccountsAsync(current.User.Id)).FirstOrDefault(a => body.AccountId is not null
                          ? a.Id == body.AccountId && a.ProviderId == body.ProviderId
                          : a.ProviderId == body.ProviderId)
                      ?? throw AuthError.BadRequest(CoreErrors.AccountNotFound);
        return (provider, account);
    }

    private static async Task<AccessTokenResponse> ValidAccessTokenAsync(AuthContext ctx, OAuthProvider provider, Account account)
    {
        OAuthTokens? fresh = null;
        if (!string.IsNullOrEmpty(account.RefreshToken) && provider.SupportsRefresh &&
            (account.AccessTokenExpiresAt is not { } expires || expires - ctx.Auth.Now < RefreshWindow))
        {
            try
            {
                fresh = await provider.RefreshAccessTokenAsync(account.RefreshToken, ctx.Http.RequestAborted);
            }
            catch (OAuthProviderException e)
            {
                Core.Telemetry.CoreLog.OAuthTokenRefreshFailed(ctx.Auth.Logger, provider.Id, e.Message);
                throw OAuthErrors.TokenCallFailed(OAuthErrors.FailedToGetAccessToken, e);
            }
            await StoreRefreshedAsync(ctx, account, fresh);
        }
        return new AccessTokenResponse(
            fresh?.AccessToken ?? account.AccessToken,
            fresh?.AccessTokenExpiresAt ?? account.AccessTokenExpiresAt,
            account.Scope is null ? [] : account.Scope.Split(','),
            fresh?.IdToken ?? account.IdToken);
    }

    /// <summary>Stores what a refresh brought; a value the provider did not send (often the refresh token) keeps the stored one.</summary>
    private static Task<Account?> StoreRefreshedAsync(AuthContext ctx, Account account, OAuthTokens tokens) =>
        ctx.Store.UpdateAccountAsync(account.Id, a =>
        {
            if (tokens.AccessToken is not null) a.AccessToken = tokens.AccessToken;
            if (tokens.AccessTokenExpiresAt is not null) a.AccessTokenExpiresAt = tokens.AccessTokenExpiresAt;
            if (tokens.RefreshToken is not null) a.RefreshToken = tokens.RefreshToken;
            if (tokens.RefreshTokenExpiresAt is not null) a.RefreshTokenExpiresAt = tokens.RefreshTokenExpiresAt;
        });
}
