using System.Text;
using System.Text.Json;
using BetterAuth.Core.Storage;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BetterAuth.Core.Tokens;

/// <summary>
/// Better Auth's email-verification token (crypto/jwt.ts): an HS256 JWT keyed with the UTF-8 secret, claims
/// <c>email</c> (lowercased), optional <c>updateTo</c> (change-email), <c>iat</c>, <c>exp</c>. Tokens made by the
/// reference verify here and the other way round. Signed with the current secret; a token signed with any configured
/// secret verifies (see <see cref="Crypto.SecretKeyring"/>).
/// </summary>
internal sealed class EmailVerificationTokens(AuthRuntime auth)
{
    public enum Failure { None, Expired, Invalid }

    public readonly record struct Claims(string Email, string? UpdateTo);

    private readonly SymmetricSecurityKey[] _keys = auth.Secrets.All.Select(s => new SymmetricSecurityKey(PaddedKey(s))).ToArray();
    private readonly JsonWebTokenHandler _handler = new();

    public string Create(string email, string? updateTo = null, int? expiresIn = null)
    {
        var now = auth.Time.GetUtcNow().ToUnixTimeSeconds();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("email", email.ToLowerInvariant());
            if (updateTo is not null) w.WriteString("updateTo", updateTo);
            w.WriteNumber("iat", now);
            w.WriteNumber("exp", now + (expiresIn ?? auth.Options.EmailVerification.ExpiresIn));
            w.WriteEndObject();
        }
        return _handler.CreateToken(Encoding.UTF8.GetString(buffer.ToArray()),
            new SigningCredentials(_keys[0], SecurityAlgorithms.HmacSha256));
    }

    public async Task<(Claims? Claims, Failure Failure)> VerifyAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = _keys,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
            // The injected clock decides expiry (tests move it), with no skew, as jose does.
            LifetimeValidator = (_, expires, _, _) => expires is { } e && e > auth.Time.GetUtcNow().UtcDateTime,
        });
        if (!result.IsValid)
            return (null, result.Exception is SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException ? Failure.Expired : Failure.Invalid);
        var jwt = (JsonWebToken)result.SecurityToken;
        if (!jwt.TryGetPayloadValue<string>("email", out var email) || !Users.UserInput.IsValidEmail(email))
            return (null, Failure.Invalid);
        jwt.TryGetPayloadValue<string>("updateTo", out var updateTo);
        return (new Claims(email, updateTo), Failure.None);
    }

    /// <summary>
    /// HMAC pads keys shorter than its 64-byte block with zeros, so appending zeros up to the 32 bytes the
    /// IdentityModel library insists on gives exactly the MAC the reference computes with a short secret.
    /// </summary>
    private static byte[] PaddedKey(string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        return key.Length >= 32 ? key : [.. key, .. new byte[32 - key.Length]];
    }
}
