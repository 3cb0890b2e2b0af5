using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>Sign-in with phone and password, sending a verification code, and verifying it (sign-in, sign-up or number change).</summary>
internal sealed class PhoneNumberEndpoints(PhoneNumberOptions options, PhoneCodes codes)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Post("/sign-in/phone-number", SignIn) with
        {
            OperationId = "signInPhoneNumber", SignInMethod = "phone_number", Summary = "Sign in with phone number",
            Description = "Use this endpoint to sign in with phone number",
            Body = [Str("password", "Password to use for sign in").Required(), Str("phoneNumber", "Phone number to sign in").Required(),
                Bool("rememberMe", "Remember the session")],
            Response = Returns("Success", Str("token", "Session token").Required(), Model("user", "User").Required()),
        },
        AuthEndpoint.Post("/phone-number/send-otp", SendOtp) with
        {
            OperationId = "sendPhoneNumberOTP", Summary = "Send OTP to phone number",
            Description = "Use this endpoint to send OTP to phone number",
            Body = [Str("phoneNumber", "Phone number to send OTP").Required()],
            Response = Returns("Success", Str("message")),
        },
        AuthEndpoint.Post("/phone-number/verify", Verify) with
        {
            OperationId = "verifyPhoneNumber", Summary = "Verify phone number",
            Description = "Use this endpoint to verify phone number",
            Body = [Str("code", "OTP code").Required(), Str("phoneNumber", "Phone number to verify").Required(),
                Bool("disableSession", "Disable session creation after verification"),
                Bool("updatePhoneNumber", "Check if there is a session and update the phone number")],
            Response = Returns("Phone number verified successfully", Bool("status", "Indicates if the verification was successful").Required(),
                Str("token", "Session token if session is created, null if disableSession is true or no session is created"),
                Model("user", "User", "User object with phone number details, null if no user is created or found")),
        },
    ];

    /// <summary>
    /// POST /sign-in/phone-number. Unknown number, no password and wrong password are one 401 after the same hashing
    /// work. With requireVerification an unverified number gets a fresh code and 401 "Phone number not verified" —
    /// only once the password is right, so the answer does not reveal which numbers are registered.
    /// </summary>
    private async ValueTask<AuthResult> SignIn(AuthContext ctx)
    {
        var body = ctx.ReadBody(PhoneNumberJsonContext.Default.SignInPhoneNumberRequest);
        PhoneNumberValidation.RequireOwnIdentifiers(ctx, body.PhoneNumber);
        var user = await PhoneCodes.FindUserAsync(ctx, body.PhoneNumber);
        // A number on file signs in as stored, even one the format check would now refuse (written before the check
        // was turned on, or by Better Auth): the check decides which numbers come in, not who may sign in.
        if (user is null && !PhoneNumberValidation.IsAcceptable(options, body.PhoneNumber))
            throw AuthError.BadRequest(PhoneNumberErrors.InvalidPhoneNumber);

        if (!await PasswordCheck.VerifyAsync(ctx, user, body.Password) || user is null)
            throw AuthError.Unauthorized(PhoneNumberErrors.InvalidPhoneNumberOrPassword);

        if (options.RequireVerification && user[PhoneNumberPlugin.PhoneNumberVerifiedField] is not true)
        {
            await codes.IssueAndSendAsync(ctx, body.PhoneNumber, body.PhoneNumber, PhoneCodes.OtpKind);
            throw AuthError.Unauthorized(PhoneNumberErrors.PhoneNumberNotVerified);
        }

        var session = await SessionManager.SignInAsync(ctx, user, dontRemember: body.RememberMe == false);
        return AuthResult.Json(new PhoneSignInResponse(session.Session.Token, PhoneUserSummary.From(user)));
    }

    /// <summary>
    /// POST /phone-number/send-otp → <c>{message:"code sent"}</c>; 501 when no message sender is configured, as Better
    /// Auth without sendOTP. The code row is keyed by the number exactly as sent (Better Auth's identifier).
    /// </summary>
    private async ValueTask<AuthResult> SendOtp(AuthContext ctx)
    {
        var body = ctx.ReadBody(PhoneNumberJsonContext.Default.PhoneNumberRequest);
        if (!ctx.GetService<AuthMessenger>().HasSenders) throw new AuthError(501, PhoneNumberErrors.SendOtpNotImplemented);
        PhoneNumberValidation.RequireOwnIdentifiers(ctx, body.PhoneNumber);
        // As on sign-in, a number already on file gets its code whatever the format check says.
        if (!PhoneNumberValidation.IsAcceptable(options, body.PhoneNumber) && await PhoneCodes.FindUserAsync(ctx, body.PhoneNumber) is null)
            throw AuthError.BadRequest(PhoneNumberErrors.InvalidPhoneNumber);
        await codes.IssueAndSendAsync(ctx, body.PhoneNumber, body.PhoneNumber, PhoneCodes.OtpKind);
        return AuthResult.Json(CodeSentResponse.Instance);
    }

    /// <summary>
    /// POST /phone-number/verify. The code is checked and consumed first. Then: with <c>updatePhoneNumber</c> the signed-in
    /// user takes the number; otherwise the number's user is marked verified (or signed up when configured; else the
    /// answer is <c>null</c>) and, unless <c>disableSession</c>, signed in.
    /// </summary>
    private async ValueTask<AuthResult> Verify(AuthContext ctx)
    {
        var body = ctx.ReadBody(PhoneNumberJsonContext.Default.VerifyPhoneNumberRequest);
        var phone = body.PhoneNumber;
        PhoneNumberValidation.RequireOwnIdentifiers(ctx, phone);
        await codes.VerifyAsync(ctx, phone, body.Code);

        if (body.UpdatePhoneNumber == true) return await UpdatePhoneNumberAsync(ctx, phone);

        var user = await PhoneCodes.FindUserAsync(ctx, phone);
        if (user is null)
        {
            if (!options.SignUpOnVerification.Enabled) return AuthResult.Null;
            user = await SignUpAsync(ctx, phone);
        }
        else
        {
            user = await ctx.Store.UpdateUserAsync(user.Id, u => u[PhoneNumberPlugin.PhoneNumberVerifiedField] = true);
            if (user is null) return AuthResult.Null; // deleted meanwhile: Better Auth answers null for a missing user
        }

        if (options.CallbackOnVerification is { } callback) await callback(phone, user);

        if (body.DisableSession == true) return AuthResult.Json(new PhoneVerifyResponse(true, null, PhoneUserSummary.From(user)));
        var session = await SessionManager.SignInAsync(ctx, user);
        return AuthResult.Json(new PhoneVerifyResponse(true, session.Session.Token, PhoneUserSummary.From(user)));
    }

    /// <summary>Gives the verified number to the signed-in user; a number another account holds is refused.</summary>
    private static async Task<AuthResult> UpdatePhoneNumberAsync(AuthContext ctx, string phone)
    {
        var session = await ctx.GetSessionAsync() ?? throw AuthError.Unauthorized(CoreErrors.UserNotFound);
        if (await PhoneCodes.FindUserAsync(ctx, phone) is not null) throw AuthError.BadRequest(PhoneNumberErrors.PhoneNumberExists);
        User? updated;
        try
        {
            updated = await ctx.Store.UpdateUserAsync(session.User.Id, u =>
            {
                u[PhoneNumberPlugin.PhoneNumberField] = phone;
                u[PhoneNumberPlugin.PhoneNumberVerifiedField] = true;
            });
        }
        catch (UniqueViolationException)
        {
            throw AuthError.BadRequest(PhoneNumberErrors.PhoneNumberExists); // lost a race for the same number
        }
        if (updated is null) throw AuthError.Unauthorized(CoreErrors.UserNotFound);
        return AuthResult.Json(new PhoneVerifyResponse(true, session.Session.Token, PhoneUserSummary.From(updated)));
    }

    /// <summary>Creates the user of a newly verified number with the configured temporary email and name.</summary>
    private async Task<User> SignUpAsync(AuthContext ctx, string phone)
    {
        var signUp = options.SignUpOnVerification;
        var user = ctx.Store.NewUser(signUp.TempEmail(phone), signUp.TempName(phone));
        user[PhoneNumberPlugin.PhoneNumberField] = phone;
        user[PhoneNumberPlugin.PhoneNumberVerifiedField] = true;
        try
        {
            return await ctx.Store.CreateUserAsync(user);
        }
        catch (UniqueViolationException)
        {
            // The temporary email (or the number) is already taken by another account: Better Auth fails with a 500 here.
            throw AuthError.Unprocessable(CoreErrors.FailedToCreateUser);
        }
    }
}
