using System.Buffers.Text;
using System.Text;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Passkey;

/// <summary>
/// Adding a passkey to the signed-in user's account: GET /passkey/generate-register-options and
/// POST /passkey/verify-registration, both behind a fresh session as in Better Auth.
/// </summary>
internal sealed class PasskeyRegistrationEndpoints(PasskeyOptions options, PasskeyChallenges challenges)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Get("/passkey/generate-register-options", GenerateOptionsAsync) with
        {
            Session = SessionRequirement.Fresh,
            OperationId = "passkeyGenerateRegisterOptions",
            Description = "Generate registration options for a new passkey",
            Query = [Field("authenticatorAttachment", ApiSchema.OneOfValues("platform", "cross-platform"),
                "Type of authenticator to use for registration: \"platform\" for device-specific authenticators, " +
                "\"cross-platform\" for authenticators that can be used across devices.")],
            Response = Returns("Success", ApiSchema.AnyObject),
        },
        AuthEndpoint.Post("/passkey/verify-registration", VerifyAsync) with
        {
            Session = SessionRequirement.Fresh,
            OperationId = "passkeyVerifyRegistration",
            Description = "Verify registration of a new passkey",
            Body = [AnyObject("response", "The response from the authenticator").Required(), Str("name", "Name of the passkey")],
            Response = Returns("Success", ApiSchema.Ref("Passkey")),
        },
    ];

    private async ValueTask<AuthResult> GenerateOptionsAsync(AuthContext ctx)
    {
        var attachment = ctx.Query("authenticatorAttachment");
        if (attachment is not (null or "platform" or "cross-platform")) throw AuthError.InvalidQuery();
        var session = await ctx.RequireSessionAsync();
        var user = session.User;
        var rp = RelyingParty.For(ctx, options);
        var existing = await PasskeyStore.ListAsync(ctx.Db, user.Id, ctx.Http.RequestAborted);
        var challenge = await challenges.CreateAsync(ctx, user.Id, PasskeyChallenges.Registration);

        var selection = options.AuthenticatorSelection;
        var label = string.IsNullOrEmpty(user.Email) ? user.Id : user.Email;
        // Better Auth's WebAuthn user handle: 32 random lowercase letters and digits, not the user id, and never stored.
        var handle = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(RandomStrings.From(RandomStrings.LowerAlphanumeric, 32)));
        return AuthResult.Json(new RegistrationOptionsJson(
            challenge,
            new RelyingPartyJson(rp.Name, rp.Id),
            new WebAuthnUserJson(handle, label, label),
            WebAuthnCeremony.Algorithms.Select(a => new PublicKeyParameterJson(a, "public-key")).ToList(),
            60000,
            "none",
            existing.Select(CredentialDescriptorJson.From).ToList(),
            new AuthenticatorSelectionJson(selection.ResidentKey, selection.UserVerification, attachment ?? selection.AuthenticatorAttachment,
                selection.RequireResidentKey ?? selection.ResidentKey == "required"),
            new CredPropsExtensionJson(true),
            []));
    }

    /// <summary>
    /// Better Auth's order of checks: challenge cookie, challenge row, the challenge's user is the caller, then the
    /// WebAuthn checks. Unlike Better Auth, a failed verification is 400 (not 500), a response without transports is
    /// stored with none, and a credential id registered already (to anyone) is refused.
    /// </summary>
    private async ValueTask<AuthResult> VerifyAsync(AuthContext ctx)
    {
        var body = ctx.ReadBody(PasskeyJsonContext.Default.VerifyRegistrationRequest);
        var session = await ctx.RequireSessionAsync();
        var challenge = await challenges.ConsumeAsync(ctx, PasskeyChallenges.Registration);
        if (challenge.UserData.Id != session.User.Id) throw AuthError.Unauthorized(PasskeyErrors.YouAreNotAllowedToRegisterThisPasskey);

        var rp = RelyingParty.For(ctx, options);
        var requireUv = options.AuthenticatorSelection.UserVerification == "required";
        var verified = body.Response is { } response
            ? await WebAuthnCeremony.VerifyRegistrationAsync(rp, response, challenge.ExpectedChallenge, requireUv, ctx.Http.RequestAborted)
            : null;
        if (verified is null)
        {
            PasskeyLog.RegistrationRefused(ctx.Auth.Logger);
            throw AuthError.BadRequest(PasskeyErrors.FailedToVerifyRegistration);
        }

        var row = new PasskeyRow
        {
            Id = RandomStrings.Id(),
            Name = body.Name,
            PublicKey = Convert.ToBase64String(verified.PublicKey),
            UserId = session.User.Id,
            CredentialID = verified.CredentialId,
            Counter = verified.Counter,
            DeviceType = verified.BackupEligible ? "multiDevice" : "singleDevice",
            BackedUp = verified.BackedUp,
            Transports = WebAuthnCeremony.Transports(body.Response!.Value),
            CreatedAt = ctx.Auth.Now,
            Aaguid = verified.Aaguid.ToString("D"),
        };
        if (!await PasskeyStore.InsertAsync(ctx.Db, row, ctx.Http.RequestAborted))
            throw AuthError.BadRequest(PasskeyErrors.PreviouslyRegistered);
        return AuthResult.Json(PasskeyView.From(row));
    }
}
