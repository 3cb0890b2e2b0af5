using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class ChangeEmailEndpoints
{
    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Post("/change-email", ChangeEmail) with
        {
            Session = SessionRequirement.Required, OperationId = "changeEmail", Summary = "Change the email of the user",
            Request = CoreJsonContext.Default.ChangeEmailRequest,
            Response = Returns("Email change request processed successfully", Bool("status", "Indicates if the request was successful").Required(),
                Str("message", "Status message of the email change process")),
        },
    ];

    /// <summary>
    /// POST /change-email {newEmail, callbackURL?}. An unverified address changes at once (and the new one gets a
    /// verification link); a verified one needs the confirmation link mailed to the current address first.
    /// </summary>
    private static async ValueTask<AuthResult> ChangeEmail(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        if (!ctx.Auth.Options.User.ChangeEmail.Enabled) throw AuthError.BadRequest("Change email is disabled");
        var body = ctx.ReadBody(CoreJsonContext.Default.ChangeEmailRequest);
        if (!UserInput.IsValidEmail(body.NewEmail)) throw AuthError.InvalidBody();
        var newEmail = body.NewEmail.ToLowerInvariant();
        if (newEmail == current.User.Email) throw AuthError.BadRequest("Email is the same");
        if (await ctx.Store.FindUserByEmailAsync(newEmail) is not null)
        {
            // Later Better Auth (#8097) answers a taken address like a free one, so a signed-in user cannot test which
            // addresses have accounts; nothing changes and nothing is mailed. The decoy write stands for the update.
            await DecoyWork.StoreExpiredVerificationAsync(ctx, "change-email-decoy");
            return AuthResult.Json(StatusResponse.True);
        }

        if (!current.User.EmailVerified)
        {
            User? updated;
            try { updated = await ctx.Store.UpdateUserAsync(current.User.Id, u => u.Email = newEmail); }
            catch (UniqueViolationException) { throw AuthError.Unprocessable(CoreErrors.UserAlreadyExists); }
            if (updated is null) throw AuthError.BadRequest(CoreErrors.UserNotFound);
            SessionManager.SetSessionCookie(ctx, new SessionWithUser(current.Session, updated));
            await VerificationMail.SendIfEnabledAsync(ctx, updated, body.CallbackUrl);
            return AuthResult.Json(StatusResponse.True);
        }

        // The link goes to the address the user proves they own today; opening it moves the account.
        await VerificationMail.SendAsync(ctx, current.User.Email, body.CallbackUrl, updateTo: newEmail, kind: "change-email");
        return AuthResult.Json(StatusResponse.True);
    }
}
