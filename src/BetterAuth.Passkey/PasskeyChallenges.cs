using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.Passkey;

/// <summary>
/// A ceremony's challenge: 32 random bytes (base64url in the options), kept server-side in a verification row whose
/// identifier the signed <c>better-auth-passkey</c> cookie carries, as Better Auth keeps it. Unlike Better Auth 1.2.12,
/// a challenge is single use (taken by an atomic delete, whatever the outcome) and expires
/// <see cref="PasskeyOptions.ChallengeExpiresIn"/> seconds after it was made.
/// </summary>
internal sealed class PasskeyChallenges(PasskeyOptions options)
{
    public const string Registration = "registration";
    public const string Authentication = "authentication";

    private string CookieName(AuthContext ctx) => ctx.Auth.Cookies.Name(options.Advanced.WebAuthnChallengeCookie);

    /// <summary>Makes a challenge for <paramref name="userId"/> ("" for a sign-in), stores it and sets the cookie; returns it.</summary>
    public async Task<string> CreateAsync(AuthContext ctx, string userId, string ceremony)
    {
        var challenge = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var identifier = RandomStrings.Id();
        var value = JsonSerializer.Serialize(new ChallengeValue(challenge, new ChallengeUser(userId), ceremony), PasskeyJsonContext.Default.ChallengeValue);
        await ctx.Store.CreateVerificationAsync(identifier, value, ctx.Auth.Now.AddSeconds(options.ChallengeExpiresIn));
        ctx.SetSignedCookie(CookieName(ctx), identifier, ctx.Auth.Cookies.Defaults with { MaxAge = options.ChallengeExpiresIn });
        return challenge;
    }

    /// <summary>
    /// Takes the challenge the cookie names, for one ceremony. No (validly signed) cookie, or a challenge that is
    /// unknown, used, expired or made for the other ceremony: 400 "Challenge not found".
    /// </summary>
    public async Task<ChallengeValue> ConsumeAsync(AuthContext ctx, string ceremony)
    {
        var identifier = ctx.GetSignedCookie(CookieName(ctx)) ?? throw NotFound();
        var row = await ctx.Store.ConsumeVerificationAsync(identifier) ?? throw NotFound();
        ChallengeValue? value;
        try { value = JsonSerializer.Deserialize(row.Value, PasskeyJsonContext.Default.ChallengeValue); }
        catch (JsonException) { throw NotFound(); }
        if (value?.ExpectedChallenge is not { Length: > 0 } || value.UserData?.Id is null) throw NotFound();
        if (value.Type is not null && value.Type != ceremony) throw NotFound();
        return value;
    }

    private static AuthError NotFound() => AuthError.BadRequest(PasskeyErrors.ChallengeNotFound);
}
