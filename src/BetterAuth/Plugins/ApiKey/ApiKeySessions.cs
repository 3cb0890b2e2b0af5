using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// A key stands for its user's session (Better Auth's before-hook): a request that carries one in a key header is
/// answered as that user, on every endpoint and in the ASP.NET Core scheme. The session has the key's id as id and
/// token (never the key itself: Better Auth puts the key there, and then hands it out as a session cookie), no row,
/// no cookie, and the key's expiry (else the configured session lifetime). Session-creating lifecycle hooks run for
/// it, so a banned user's keys stop working as their sign-ins do.
/// </summary>
internal sealed class ApiKeySessions(ApiKeyOptions options, ApiKeyVerifier verifier)
{
    /// <summary>The key a request carries in the first configured header that has one, or null.</summary>
    public string? KeyOf(AuthContext ctx)
    {
        foreach (var header in options.ApiKeyHeaders)
            if (ctx.Http.Request.Headers[header].FirstOrDefault() is { Length: > 0 } value) return value;
        return null;
    }

    public bool Applies(AuthContext ctx) => !options.DisableSessionForApiKeys && KeyOf(ctx) is not null;

    /// <summary>Before-hook: the key's session becomes the request's, or the request is refused with the key's error.</summary>
    public async ValueTask<AuthResult?> BeforeAsync(AuthContext ctx)
    {
        var (_, _, refusal) = await AuthenticateAsync(ctx, KeyOf(ctx)!);
        return refusal?.ToResult();
    }

    /// <summary>Checks the key, counts the use, and makes its session the request's.</summary>
    public async Task<(SessionWithUser? Session, ApiKeyRow? Key, ApiKeyRefusal? Refusal)> AuthenticateAsync(AuthContext ctx, string key)
    {
        var (row, refusal) = await verifier.VerifyAsync(ctx, key);
        if (row is null) return (null, null, refusal);
        var user = await ctx.Store.FindUserByIdAsync(row.UserId);
        if (user is null) return (null, null, new ApiKeyRefusal(401, "THE_USER_ID_FROM_THE_API_KEY_IS_INVALID", ApiKeyErrors.InvalidUserIdFromApiKey));
        var now = ctx.Auth.Now;
        var session = new Session
        {
            Id = row.Id,
            Token = row.Id,
            UserId = user.Id,
            UserAgent = ctx.Http.Request.Headers.UserAgent.FirstOrDefault(),
            IpAddress = ctx.ClientIp,
            // The key's own creation, not this request: "fresh session" checks then see how old the credential is.
            CreatedAt = row.CreatedAt,
            UpdatedAt = row.CreatedAt,
            ExpiresAt = row.ExpiresAt ?? now.AddSeconds(ctx.Auth.Options.Session.ExpiresIn),
        };
        foreach (var f in ctx.Auth.Registry.Schema.SessionFields) session[f.Name] = f.CreateDefault;
        var pair = new SessionWithUser(session, user);
        await ctx.UseCredentialSessionAsync(pair);
        return (pair, row, null);
    }
}
