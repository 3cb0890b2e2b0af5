using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Sessions;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Passkey;

/// <summary>
/// Signing in with a passkey: POST /passkey/generate-authenticate-options and POST /passkey/verify-authentication.
/// A passkey sign-in is a primary sign-in: the session is made by core's <see cref="SessionManager.SignInAsync"/>, so
/// lifecycle hooks (a ban refuses it), events and cookies are those of every other sign-in. As in Better Auth, the
/// two-factor challenge does not apply to it (a passkey is possession plus, usually, user verification already).
/// </summary>
internal sealed class PasskeyAuthenticationEndpoints(PasskeyOptions options, PasskeyChallenges challenges)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Post("/passkey/generate-authenticate-options", GenerateOptionsAsync) with
        {
            OperationId = "passkeyGenerateAuthenticateOptions",
            Description = "Generate authentication options for a passkey",
            Body = [Str("email", "The email address of the user")],
            Response = Returns("Success", ApiSchema.AnyObject),
        },
        AuthEndpoint.Post("/passkey/verify-authentication", VerifyAsync) with
        {
            OperationId = "passkeyVerifyAuthentication", SignInMethod = "passkey",
            Description = "Verify authentication of a passkey",
            Body = [AnyObject("response", "The response from the authenticator").Required()],
            Response = Returns("Success", Model("session", "Session")),
        },
    ];

    /// <summary>
    /// With a session, the caller's passkeys are listed in allowCredentials; without one the list is left out, so the
    /// browser offers the discoverable passkeys it holds for this RP ID. The body's optional email is not used, as in
    /// Better Auth 1.2.12 (naming an account's passkeys to anyone who types its email would tell who has one).
    /// </summary>
    private async ValueTask<AuthResult> GenerateOptionsAsync(AuthContext ctx)
    {
        if (ctx.RawBody is { Length: > 0 }) ctx.ReadBody(PasskeyJsonContext.Default.AuthenticateOptionsRequest);
        var session = await ctx.GetSessionAsync();
        var rp = RelyingParty.For(ctx, options);
        List<CredentialDescriptorJson>? allow = null;
        if (session is not null)
        {
            var passkeys = await PasskeyStore.ListAsync(ctx.Db, session.User.Id, ctx.Http.RequestAborted);
            if (passkeys.Count > 0) allow = passkeys.Select(CredentialDescriptorJson.From).ToList();
        }
        var challenge = await challenges.CreateAsync(ctx, session?.User.Id ?? "", PasskeyChallenges.Authentication);
        return AuthResult.Json(new AuthenticationOptionsJson(rp.Id, challenge, allow, 60000, UserVerification));
    }

    /// <summary>SimpleWebAuthn's "preferred" as Better Auth asks for it; "required" when the options require it.</summary>
    private string UserVerification => options.AuthenticatorSelection.UserVerification == "required" ? "required" : "preferred";

    /// <summary>
    /// Better Auth's order: challenge cookie and row (400 CHALLENGE_NOT_FOUND), the passkey by credential id (401
    /// PASSKEY_NOT_FOUND), the WebAuthn checks (400 AUTHENTICATION_FAILED), then the counter and the session.
    /// </summary>
    private async ValueTask<AuthResult> VerifyAsync(AuthContext ctx)
    {
        var body = ctx.ReadBody(PasskeyJsonContext.Default.VerifyAuthenticationRequest);
        if (body.Response.ValueKind != System.Text.Json.JsonValueKind.Object) throw AuthError.InvalidBody();
        var challenge = await challenges.ConsumeAsync(ctx, PasskeyChallenges.Authentication);
        var ct = ctx.Http.RequestAborted;
        var passkey = WebAuthnCeremony.CredentialId(body.Response) is { Length: > 0 } credentialId
            ? await PasskeyStore.FindByCredentialIdAsync(ctx.Db, credentialId, ct)
            : null;
        if (passkey is null) throw AuthError.Unauthorized(PasskeyErrors.PasskeyNotFound);

        var rp = RelyingParty.For(ctx, options);
        var counter = await WebAuthnCeremony.VerifyAssertionAsync(rp, body.Response, challenge.ExpectedChallenge, passkey,
            UserVerification == "required", ct);
        // A concurrent sign-in with the same credential moved the counter first: only one of the two may win.
        if (counter is null || !await PasskeyStore.AdvanceCounterAsync(ctx.Db, passkey.Id, passkey.Counter, counter.Value, ct))
        {
            PasskeyLog.SignInRefused(ctx.Auth.Logger);
            throw AuthError.BadRequest(PasskeyErrors.AuthenticationFailed);
        }

        var user = await ctx.Store.FindUserByIdAsync(passkey.UserId) ?? throw AuthError.BadRequest(PasskeyErrors.AuthenticationFailed);
        var signedIn = await SessionManager.SignInAsync(ctx, user);
        return AuthResult.Json(new PasskeySignInResponse(signedIn.Session));
    }
}
