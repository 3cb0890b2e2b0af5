using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Events;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class UserEndpoints
{
    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Post("/update-user", UpdateUser) with
        {
            Session = SessionRequirement.Required, OperationId = "updateUser", Summary = "Update the current user",
            Body = [Str("image", "The image of the user (null removes it)").OrNull(), Str("name", "The name of the user")],
            Response = Returns("Success", Bool("status", "Indicates if the update was successful")),
        },
        AuthEndpoint.Post("/change-password", ChangePassword) with
        {
            Session = SessionRequirement.Required, OperationId = "changePassword", Summary = "Change the password of the user",
            Body = [Str("currentPassword", "The current password").Required(), Str("newPassword", "The new password to set").Required(),
                Bool("revokeOtherSessions", "Revoke all other sessions")],
            Response = Returns("Password successfully changed", Model("user", "User").Required(),
                Str("token", "New session token if other sessions were revoked")),
        },
    ];

    /// <summary>
    /// POST /update-user: name, image and plugin fields that accept input (others are ignored, or cleared where their
    /// declaration allows); the email is changed through /change-email only.
    /// </summary>
    private static async ValueTask<AuthResult> UpdateUser(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        var body = ctx.BodyObject();
        if (body.TryGetProperty("email", out var email) && IsTruthy(email))
            throw AuthError.BadRequest(CoreErrors.EmailCanNotBeUpdated);

        var hasName = body.TryGetProperty("name", out _);
        var hasImage = body.TryGetProperty("image", out _);
        var fields = UserInput.ReadFields(ctx.Auth.Registry.Schema, body, UserWrite.Update);
        if (!hasName && !hasImage && fields.Count == 0)
        {
            // An empty body answers {status:true} as in 1.2.12. A body with only fields that cannot be set here
            // (unknown, or input:false such as role) makes 1.2.12 fail with a 500; later versions answer this 400.
            if (body.EnumerateObject().Any()) throw AuthError.BadRequest(CoreErrors.NoFieldsToUpdate);
            return AuthResult.Json(StatusResponse.True);
        }

        var name = UserInput.OptionalString(body, "name");
        var image = UserInput.OptionalString(body, "image");

        User? updated;
        try
        {
            updated = await ctx.Store.UpdateUserAsync(current.User.Id, u =>
            {
                if (name is not null) u.Name = name;
                if (hasImage) u.Image = image;
                UserInput.Apply(u, fields);
            });
        }
        catch (UniqueViolationException)
        {
            throw AuthError.BadRequest(CoreErrors.FailedToUpdateUser);
        }
        if (updated is null) throw AuthError.BadRequest(CoreErrors.UserNotFound);
        SessionManager.SetSessionCookie(ctx, new SessionWithUser(current.Session, updated));
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>POST /change-password: verifies the current password; with revokeOtherSessions every session is replaced by a new one.</summary>
    private static async ValueTask<AuthResult> ChangePassword(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        var body = ctx.ReadBody(CoreJsonContext.Default.ChangePasswordRequest);
        PasswordPolicy.Check(ctx.Auth.Options.EmailAndPassword, body.NewPassword);

        var account = await ctx.Store.FindCredentialAccountAsync(current.User.Id)
                      ?? throw AuthError.BadRequest(CoreErrors.CredentialAccountNotFound);
        var hash = await ctx.Auth.Passwords.HashAsync(body.NewPassword, ctx.Http.RequestAborted);
        if (!await ctx.Auth.Passwords.VerifyAsync(account.Password!, body.CurrentPassword, ctx.Http.RequestAborted))
            throw AuthError.BadRequest(CoreErrors.InvalidPassword);
        await ctx.Store.UpdatePasswordAsync(account.Id, hash);

        string? token = null;
        if (body.RevokeOtherSessions == true)
        {
            await ctx.Store.DeleteSessionsAsync(current.User.Id);
            var session = await SessionManager.SignInAsync(ctx, current.User, dontRemember: false);
            token = session.Session.Token;
        }
        ctx.Raise(new PasswordChangedEvent(current.User, body.RevokeOtherSessions == true));
        Core.Telemetry.SecurityLog.PasswordChanged(ctx.Auth.SecurityLogger, current.User.Id, body.RevokeOtherSessions == true, ctx.ClientIp);
        return AuthResult.Json(new TokenUserResponse(token, UserSummary.From(current.User)));
    }

    private static bool IsTruthy(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!.Length > 0,
        JsonValueKind.True => true,
        JsonValueKind.Number => e.GetDouble() != 0,
        JsonValueKind.Object or JsonValueKind.Array => true,
        _ => false,
    };
}
