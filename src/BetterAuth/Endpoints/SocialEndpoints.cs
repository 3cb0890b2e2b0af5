using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.OAuth;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Telemetry;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

/// <summary>Social sign-in (api/routes/sign-in.ts, callback.ts) and linking a social account (account.ts).</summary>
internal static class SocialEndpoints
{
    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Post("/sign-in/social", SignInSocial) with
        {
            OperationId = "socialSignIn", SignInMethod = "social", Summary = "Sign in with a social provider",
            Request = OAuthJsonContext.Default.SocialSignInRequest,
            Response = Returns("Success - Returns either session details or redirect URL", Bool("redirect").Required(),
                Str("token", "Session token").Required()),
        },
        AuthEndpoint.Get("/callback/{providerId}", Callback) with
        {
            OperationId = "oauthCallback", SignInMethod = "social", Summary = "OAuth callback",
            Request = OAuthJsonContext.Default.OAuthCallbackParameters,
            Response = RedirectsTo("Redirects to the callback URL of the sign-in or link, or to the error URL"),
        },
        AuthEndpoint.Post("/callback/{providerId}", Callback) with
        {
            OperationId = "oauthCallbackFormPost", SignInMethod = "social", Summary = "OAuth callback (form_post providers such as Apple)",
            Request = OAuthJsonContext.Default.OAuthCallbackParameters,
            Response = RedirectsTo("Redirects to GET /callback/{providerId} with the same parameters (so the browser sends its " +
                                   "state cookie), or to the error URL"),
        },
        AuthEndpoint.Post("/link-social", LinkSocial) with
        {
            OperationId = "linkSocialAccount", Summary = "Link a social account to the user",
            Request = OAuthJsonContext.Default.LinkSocialRequest,
            Response = Returns("Success", Bool("redirect", "Indicates if the user should be redirected to the authorization URL").Required(),
                Bool("status"), Str("url", "The authorization URL to redirect the user to")),
        },
    ];

    /// <summary>
    /// POST /sign-in/social: with <c>idToken</c>, verifies it and signs in at once ({redirect:false, token, user});
    /// otherwise stores the flow's state and answers the provider's authorization URL ({url, redirect}).
    /// </summary>
    private static async ValueTask<AuthResult> SignInSocial(AuthContext ctx)
    {
        var body = ctx.ReadBody(OAuthJsonContext.Default.SocialSignInRequest);
        var provider = Providers(ctx).Find(body.Provider) ?? throw AuthError.NotFound(OAuthErrors.ProviderNotFound);
        var disableSignUp = (provider.Options.DisableImplicitSignUp && body.RequestSignUp != true) || provider.Options.DisableSignUp;

        if (body.IdToken is { } idToken)
        {
            var info = await VerifiedIdTokenUserAsync(ctx, provider, idToken.Token, idToken.Nonce, idToken.AccessToken, idToken.RefreshToken);
            var result = await OAuthSignIn.SignInAsync(ctx, info, info.Name ?? "",
                new OAuthAccountData(provider.Id, info.Id) { AccessToken = idToken.AccessToken }, body.CallbackUrl, disableSignUp, overrideUserInfo: false);
            if (result.Error is not null) throw AuthError.Unauthorized(result.Error);
            if (result.SignIn!.IsChallenged) return result.SignIn.Challenge;
            var signedIn = result.SignIn.Session;
            return AuthResult.Json(new SignInResponse(false, signedIn.Session.Token, null, UserSummary.From(signedIn.User)));
        }

        var url = await AuthorizationUrlAsync(ctx, provider, body.CallbackUrl, body.ErrorCallbackUrl, body.NewUserCallbackUrl,
            body.RequestSignUp, body.Scopes, body.LoginHint, link: null);
        return AuthResult.Json(new SocialRedirectResponse(url, body.DisableRedirect != true));
    }

    /// <summary>
    /// POST /link-social (session required): with <c>idToken</c>, links the account at once; otherwise starts an OAuth
    /// flow whose state carries the user, so the callback links instead of signing in.
    /// </summary>
    private static async ValueTask<AuthResult> LinkSocial(AuthContext ctx)
    {
        var body = ctx.ReadBody(OAuthJsonContext.Default.LinkSocialRequest);
        var current = await ctx.RequireSessionAsync();
        var provider = Providers(ctx).Find(body.Provider) ?? throw AuthError.NotFound(OAuthErrors.ProviderNotFound);

        if (body.IdToken is { } idToken)
        {
            var info = await VerifiedIdTokenUserAsync(ctx, provider, idToken.Token, idToken.Nonce, idToken.AccessToken, idToken.RefreshToken);
            var mine = await ctx.Store.FindAccountsAsync(current.User.Id);
            if (mine.Any(a => a.ProviderId == provider.Id && a.AccountId == info.Id))
                return AuthResult.Json(new LinkedResponse(false, "", true));
            if (!OAuthSignIn.MayLink(ctx, provider.Id, info.EmailVerified)) throw AuthError.Unauthorized(OAuthErrors.LinkingNotAllowed);
            if (!string.Equals(info.Email, current.User.Email, StringComparison.OrdinalIgnoreCase) &&
                !ctx.Auth.Options.Account.AccountLinking.AllowDifferentEmails)
                throw AuthError.Unauthorized(OAuthErrors.DifferentEmailsNotAllowed);
            // Better Auth would link a provider account that already belongs to someone else, giving it two owners.
            if (await ctx.Store.FindAccountAsync(info.Id, provider.Id) is not null)
                throw new AuthError(417, OAuthErrors.UnableToCreateAccount);
            var account = new OAuthAccountData(provider.Id, info.Id)
            {
                AccessToken = idToken.AccessToken,
                IdToken = idToken.Token,
                RefreshToken = idToken.RefreshToken,
                Scope = idToken.Scopes is null ? null : string.Join(",", idToken.Scopes),
            };
            try { await ctx.Store.CreateAccountAsync(account.ToAccount(current.User.Id, ctx.Auth.Now)); }
            catch (UniqueViolationException) { throw new AuthError(417, OAuthErrors.UnableToCreateAccount); }
            if (ctx.Auth.Options.Account.AccountLinking.UpdateUserInfoOnLink)
                await ctx.Store.UpdateUserAsync(current.User.Id, u =>
                {
                    u.Name = info.Name ?? u.Name;
                    u.Image = info.Image;
                    u.UpdatedAt = ctx.Auth.Now;
                });
            return AuthResult.Json(new LinkedResponse(false, "", true));
        }

        var url = await AuthorizationUrlAsync(ctx, provider, body.CallbackUrl, body.ErrorCallbackUrl, null, body.RequestSignUp,
            body.Scopes, null, new OAuthLink(current.User.Id, current.User.Email));
        return AuthResult.Json(new SocialRedirectResponse(url, true));
    }

    /// <summary>
    /// GET|POST /callback/{providerId}: every failure is a 302 to the error URL with Better Auth's code; success sets
    /// the session cookie (or links the account) and 302s to the callback URL. A state counts only in the browser that
    /// began the flow (its state cookie); a form-posted answer is first turned into a GET, as later Better Auth does,
    /// because the provider's cross-site POST does not carry SameSite=Lax cookies while the GET it is redirected to does.
    /// </summary>
    private static async ValueTask<AuthResult> Callback(AuthContext ctx)
    {
        var defaultErrorUrl = ctx.BaseUrl + "/error";
        var p = ReadCallbackParameters(ctx);
        if (p is null) return Failed(ctx, defaultErrorUrl + "?error=invalid_callback_request", "invalid_callback_request");

        if (!string.IsNullOrEmpty(p.Error))
            // Better Auth writes both values raw (and "undefined" for a missing description); we encode them. The
            // provider's code is the client's to choose, so the telemetry records a fixed error type.
            return Failed(ctx, $"{defaultErrorUrl}?error={Uri.EscapeDataString(p.Error)}" +
                               $"&error_description={Uri.EscapeDataString(p.ErrorDescription ?? "undefined")}", "provider_error");
        if (string.IsNullOrEmpty(p.State)) return Failed(ctx, defaultErrorUrl + "?error=state_not_found", "state_not_found");
        if (!HttpMethodIsGet(ctx)) return AuthResult.Redirect(CallbackAsGet(ctx, p));

        if (!OAuthState.IsBoundToRequest(ctx, p.State))
        {
            // Another browser's flow (or a forged link to one): refused, and left for the browser that owns it.
            var pending = await OAuthState.PeekAsync(ctx, p.State);
            if (pending is null) return Failed(ctx, defaultErrorUrl + "?error=please_restart_the_process", "please_restart_the_process");
            CoreLog.OAuthStateOfAnotherBrowser(ctx.Auth.Logger);
            return Failed(ctx, WithQuery(pending.ErrorUrl, "error", "state_mismatch"), "state_mismatch");
        }
        var state = await OAuthState.ConsumeAsync(ctx, p.State);
        OAuthState.ClearCookie(ctx);
        if (state is null) return Failed(ctx, defaultErrorUrl + "?error=please_restart_the_process", "please_restart_the_process");
        // Linking an account to the signed-in user is not a sign-in attempt.
        if (state.Link is not null) ctx.Outcome.SignInMethod = null;
        AuthResult Fail(string code) => Failed(ctx, WithQuery(state.ErrorUrl, "error", Uri.EscapeDataString(code)), code);

        if (string.IsNullOrEmpty(p.Code)) return Fail("no_code");
        var provider = Providers(ctx).Find(ctx.Http.Request.RouteValues["providerId"] as string);
        if (provider is null) return Fail("oauth_provider_not_found");
        // A state begun with one provider finishes only at that provider's callback: otherwise a code of the attacker's
        // at another provider (one without PKCE) could be finished in the victim's flow (a mix-up).
        if (state.ProviderId is { } begunWith && begunWith != provider.Id) return Fail("state_mismatch");

        OAuthTokens tokens;
        try
        {
            tokens = await provider.ValidateAuthorizationCodeAsync(p.Code, state.CodeVerifier, RedirectUri(ctx, provider), p.DeviceId,
                ctx.Http.RequestAborted);
        }
        catch (OAuthProviderException e)
        {
            CoreLog.OAuthCodeExchangeFailed(ctx.Auth.Logger, provider.Id, e.Message);
            return Fail("invalid_code");
        }

        var info = await UserInfoAsync(ctx, provider, tokens, FormUser(p.User));
        if (info is null) return Fail("unable_to_get_user_info");
        if (string.IsNullOrEmpty(info.Email)) return Fail("email_not_found");

        if (state.Link is { } link) return await LinkFromCallbackAsync(ctx, provider, info, tokens, state, link, Fail);

        OAuthSignInResult result;
        try
        {
            result = await OAuthSignIn.SignInAsync(ctx, info, string.IsNullOrEmpty(info.Name) ? info.Email : info.Name,
                OAuthAccountData.FromTokens(provider.Id, info.Id, tokens), state.CallbackUrl,
                (provider.Options.DisableImplicitSignUp && state.RequestSignUp != true) || provider.Options.DisableSignUp,
                provider.Options.OverrideUserInfoOnSignIn);
        }
        catch (AuthError e) when (e.Code is not null)
        {
            // A lifecycle hook refused the sign-in (e.g. a banned user): a browser in a redirect flow needs a page, not JSON.
            return Failed(ctx, $"{defaultErrorUrl}?error={e.Code.ToLowerInvariant()}&error_description={Uri.EscapeDataString(e.Message)}", e.Code);
        }
        if (result.Error is not null) return Fail(result.Error.Replace(' ', '_'));
        if (result.SignIn!.IsChallenged) return result.SignIn.Challenge;
        return AuthResult.Redirect(result.IsRegister ? state.NewUserUrl ?? state.CallbackUrl : state.CallbackUrl);
    }

    private static async Task<AuthResult> LinkFromCallbackAsync(AuthContext ctx, OAuthProvider provider, OAuthUserInfo info, OAuthTokens tokens,
        OAuthStateData state, OAuthLink link, Func<string, AuthResult> fail)
    {
        if (!OAuthSignIn.MayLink(ctx, provider.Id, info.EmailVerified)) return fail("unable_to_link_account");
        // As on the ID-token path (and in Better Auth from 1.3): another email links only when the host allows it.
        if (!string.Equals(info.Email, link.Email, StringComparison.OrdinalIgnoreCase) &&
            !ctx.Auth.Options.Account.AccountLinking.AllowDifferentEmails)
            return fail("email_doesn't_match");
        var data = OAuthAccountData.FromTokens(provider.Id, info.Id, tokens);
        // Better Auth looks the account up by the provider's user id alone, which can match another provider's account.
        var existing = await ctx.Store.FindAccountAsync(info.Id, provider.Id);
        if (existing is not null)
        {
            if (existing.UserId != link.UserId) return fail("account_already_linked_to_different_user");
            await ctx.Store.UpdateAccountAsync(existing.Id, data.ApplyTo);
        }
        else
        {
            if (await ctx.Store.FindUserByIdAsync(link.UserId) is null) return fail("unable_to_link_account");
            try { await ctx.Store.CreateAccountAsync(data.ToAccount(link.UserId, ctx.Auth.Now)); }
            catch (UniqueViolationException) { return fail("unable_to_link_account"); }
        }
        return AuthResult.Redirect(state.CallbackUrl);
    }

    // ---- shared steps -----------------------------------------------------------------------------

    /// <summary>A redirect to the error page that the telemetry records as a failure of type <paramref name="errorType"/>.</summary>
    private static AuthResult Failed(AuthContext ctx, string location, string errorType)
    {
        ctx.Outcome.Failed(errorType);
        return AuthResult.Redirect(location);
    }

    internal static SocialProviderRegistry Providers(AuthContext ctx) => ctx.GetService<SocialProviderRegistry>();

    private static string RedirectUri(AuthContext ctx, OAuthProvider provider) => $"{ctx.BaseUrl}/callback/{provider.Id}";

    /// <summary>Stores the flow and builds the provider's URL; a provider that cannot be reached leaves no state behind.</summary>
    private static async Task<string> AuthorizationUrlAsync(AuthContext ctx, OAuthProvider provider, string? callbackUrl, string? errorUrl,
        string? newUserUrl, bool? requestSignUp, IReadOnlyList<string>? scopes, string? loginHint, OAuthLink? link)
    {
        var (state, verifier) = await OAuthState.CreateAsync(ctx, provider.Id, callbackUrl, errorUrl, newUserUrl, requestSignUp, link);
        try
        {
            return await provider.CreateAuthorizationUrlAsync(
                new AuthorizationRequest(state, verifier, RedirectUri(ctx, provider), scopes, loginHint), ctx.Http.RequestAborted);
        }
        catch (OAuthProviderException e)
        {
            await ctx.Store.DeleteVerificationsAsync(state);
            CoreLog.OAuthProviderUnavailable(ctx.Auth.Logger, provider.Id, e.Message);
            throw OAuthErrors.Unavailable();
        }
    }

    /// <summary>
    /// The ID-token steps shared by sign-in and link: supported → verified → user info of the verified subject → email.
    /// The identity is the verified token's <c>sub</c>; the client's access token only adds profile data, and only
    /// when the provider says it belongs to that same subject.
    /// </summary>
    private static async Task<OAuthUserInfo> VerifiedIdTokenUserAsync(AuthContext ctx, OAuthProvider provider, string token, string? nonce,
        string? accessToken, string? refreshToken)
    {
        if (provider.IdTokens is null) throw AuthError.NotFound(OAuthErrors.IdTokenNotSupported);
        var (status, claims) = await provider.VerifyIdTokenAsync(token, nonce, accessToken, ctx.Http.RequestAborted);
        if (status == IdTokenStatus.ProviderUnavailable) throw OAuthErrors.Unavailable();
        if (status != IdTokenStatus.Valid || claims is not { } verified || JwtPayload.String(verified, "sub") is not { Length: > 0 } subject)
            throw AuthError.Unauthorized(CoreErrors.InvalidToken);
        var tokens = new OAuthTokens { IdToken = token, AccessToken = accessToken, RefreshToken = refreshToken };
        var info = await UserInfoAsync(ctx, provider, tokens, null, subject) ?? throw AuthError.Unauthorized(OAuthErrors.FailedToGetUserInfo);
        return string.IsNullOrEmpty(info.Email) ? throw AuthError.Unauthorized(OAuthErrors.UserEmailNotFound) : info;
    }

    /// <param name="ctx">The request being answered (its abort token cancels the provider calls).</param>
    /// <param name="provider">The provider asked.</param>
    /// <param name="tokens">The tokens the provider issued.</param>
    /// <param name="formUser">Apple's first-consent <c>user</c> field, when the callback carried one.</param>
    /// <param name="subject">The provider user the answer must describe (see <see cref="OAuthProvider.GetUserInfoAsync"/>).</param>
    internal static async Task<OAuthUserInfo?> UserInfoAsync(AuthContext ctx, OAuthProvider provider, OAuthTokens tokens, JsonElement? formUser,
        string? subject = null)
    {
        try { return await provider.GetUserInfoAsync(tokens, formUser, subject, ctx.Http.RequestAborted); }
        catch (OAuthProviderException e)
        {
            CoreLog.OAuthUserInfoFailed(ctx.Auth.Logger, provider.Id, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The callback's parameters: from the query on GET, from the body on POST (Apple's form_post). A repeated query
    /// key or a non-string body member is a validation error; a POST without a body is an invalid callback request (null).
    /// </summary>
    private static OAuthCallbackParameters? ReadCallbackParameters(AuthContext ctx)
    {
        string[] names = ["code", "error", "device_id", "error_description", "state", "user"];
        foreach (var name in names)
            if (ctx.Http.Request.Query[name].Count > 1) throw AuthError.InvalidQuery();
        if (HttpMethodIsGet(ctx))
            return new OAuthCallbackParameters
            {
                Code = ctx.Query("code"),
                Error = ctx.Query("error"),
                DeviceId = ctx.Query("device_id"),
                ErrorDescription = ctx.Query("error_description"),
                State = ctx.Query("state"),
                User = ctx.Query("user"),
            };
        if (ctx.RawBody is null || ctx.RawBody.Length == 0) return null;
        var body = ctx.BodyObject();
        foreach (var name in names)
            if (body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.String) throw AuthError.InvalidBody();
        return ctx.ReadBody(OAuthJsonContext.Default.OAuthCallbackParameters);
    }

    private static bool HttpMethodIsGet(AuthContext ctx) => string.Equals(ctx.Http.Request.Method, "GET", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The same callback as a GET on our base URL: the answer's parameters in Better Auth's order, form-encoded as
    /// URLSearchParams writes them (Apple's <c>user</c> field comes along, so the name survives the redirect).
    /// </summary>
    private static string CallbackAsGet(AuthContext ctx, OAuthCallbackParameters p)
    {
        var query = new (string Name, string? Value)[]
        {
            ("code", p.Code), ("error", p.Error), ("device_id", p.DeviceId), ("error_description", p.ErrorDescription),
            ("state", p.State), ("user", p.User),
        };
        var providerId = ctx.Http.Request.RouteValues["providerId"] as string ?? "";
        return $"{ctx.BaseUrl}/callback/{Uri.EscapeDataString(providerId)}?" + string.Join("&", query.Where(q => q.Value is not null)
            .Select(q => q.Name + "=" + OAuthUrl.FormEncode(q.Value!)));
    }

    /// <summary>Apple sends the user's name once, as a JSON string field (form-posted, then carried to the GET); anything unreadable is ignored.</summary>
    private static JsonElement? FormUser(string? user)
    {
        if (string.IsNullOrEmpty(user)) return null;
        try
        {
            using var doc = JsonDocument.Parse(user);
            return doc.RootElement.Clone();
        }
        catch (JsonException) { return null; }
    }

    private static string WithQuery(string url, string name, string value) =>
        $"{url}{(url.Contains('?') ? '&' : '?')}{name}={value}";
}
