using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// Better Auth's <c>apiKey</c> plugin (1.2.12): users create, list, read, update and delete API keys; a request carrying
/// a key (header <c>x-api-key</c> by default) is answered as the key's user, on the auth API and — through the ASP.NET
/// Core scheme — on the host's own endpoints, whose policies can require the key's permissions. Keys are stored as
/// Better Auth stores them (SHA-256, base64url), with prefixes, first characters, expiry, usage counts with refill,
/// per-key rate limits, permissions and metadata, so keys made by either server work on the other. Off unless added.
/// </summary>
public sealed class ApiKeyPlugin : IBetterAuthPlugin, IAuthLifecycle
{
    private readonly ApiKeyVerifier _verifier;
    private readonly ApiKeySessions _sessions;

    /// <summary>The plugin with <paramref name="options"/> (Better Auth's defaults when null); invalid options throw.</summary>
    public ApiKeyPlugin(ApiKeyOptions? options = null)
    {
        Options = options ?? new ApiKeyOptions();
        Options.Validate();
        _verifier = new ApiKeyVerifier(Options);
        _sessions = new ApiKeySessions(Options, _verifier);
    }

    /// <summary>Better Auth's plugin id, <c>api-key</c>.</summary>
    public string Id => "api-key";

    /// <summary>The options in force (validated).</summary>
    public ApiKeyOptions Options { get; }

    /// <summary>Registers the <c>apikey</c> table, the five endpoints and the two server-only ones, and the key header hook.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        builder.AddModel(ApiKeyRow.Configure);
        builder.AddEndpoint(new ApiKeyCreateEndpoint(Options, _verifier).Endpoint);
        builder.AddEndpoint(new ApiKeyUpdateEndpoint(Options, _verifier).Endpoint);
        foreach (var endpoint in new ApiKeyManageEndpoints(_verifier).All) builder.AddEndpoint(endpoint);
        foreach (var endpoint in new ApiKeyServerEndpoints(_verifier).All) builder.AddEndpoint(endpoint);
        builder.Before(_sessions.Applies, _sessions.BeforeAsync);
        builder.AddJsonTypes(ApiKeyJsonContext.Default);
        builder.AddLifecycle(this);
    }

    /// <summary>
    /// For hosts (the ASP.NET Core scheme, server code): the key a request carries, checked and counted as a use, and
    /// the session it stands for (set as the context's credential session); or why it is refused; or neither when the
    /// request carries no key or keys do not stand for sessions (<see cref="ApiKeyOptions.DisableSessionForApiKeys"/>).
    /// </summary>
    internal async Task<(SessionWithUser? Session, ApiKeyRow? Key, ApiKeyRefusal? Refusal)> AuthenticateAsync(AuthContext ctx)
    {
        if (!_sessions.Applies(ctx)) return (null, null, null);
        return await _sessions.AuthenticateAsync(ctx, _sessions.KeyOf(ctx)!);
    }

    /// <summary>A deleted user's keys go first: databases created by Better Auth have no cascade on apikey.userId.</summary>
    public async ValueTask OnUserDeletingAsync(AuthStoreContext ctx, User user) =>
        await ctx.Db.Set<ApiKeyRow>().Where(k => k.UserId == user.Id).ExecuteDeleteAsync();
}
