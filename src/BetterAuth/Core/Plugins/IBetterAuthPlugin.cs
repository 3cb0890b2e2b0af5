using System.Text.Json.Serialization.Metadata;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Core.Plugins;

/// <summary>
/// A plugin (two-factor, admin, organization, ...): one folder that contributes everything it needs through
/// <see cref="Configure"/>. Core never names a plugin; it only runs what plugins registered here.
/// </summary>
public interface IBetterAuthPlugin
{
    /// <summary>Better Auth's plugin id, e.g. <c>two-factor</c>.</summary>
    string Id { get; }

    /// <summary>Registers what the plugin contributes.</summary>
    void Configure(AuthPluginBuilder builder);
}

/// <summary>What a plugin can register: endpoints, schema, hooks, rate rules, JSON types and services.</summary>
public sealed class AuthPluginBuilder
{
    private readonly AuthRegistry _registry;

    private readonly string? _tag;

    internal AuthPluginBuilder(AuthRegistry registry, IServiceCollection services, string? pluginId = null)
    {
        _registry = registry;
        Services = services;
        // Better Auth lists a plugin's endpoints under its id with the first letter capitalised ("Two-factor").
        if (!string.IsNullOrEmpty(pluginId)) _tag = char.ToUpperInvariant(pluginId[0]) + pluginId[1..];
    }

    /// <summary>The host's services (only while the plugin is added on the builder).</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds an endpoint.</summary>
    public AuthPluginBuilder AddEndpoint(AuthEndpoint endpoint)
    {
        _registry.Endpoints.Add(endpoint.Tag is null && _tag is not null ? endpoint with { Tag = _tag } : endpoint);
        return this;
    }

    /// <summary>Adds a column to <c>user</c>.</summary>
    public AuthPluginBuilder AddUserField(FieldDefinition field) { _registry.Schema.AddUserField(field); return this; }
    /// <summary>Adds a column to <c>session</c>.</summary>
    public AuthPluginBuilder AddSessionField(FieldDefinition field) { _registry.Schema.AddSessionField(field); return this; }
    /// <summary>Adds the plugin's own tables (entity types) to the EF model; the migrator creates them.</summary>
    public AuthPluginBuilder AddModel(Action<ModelBuilder> configure) { _registry.PluginModels.Add(configure); return this; }
    /// <summary>Runs a hook before the endpoints the predicate accepts.</summary>
    public AuthPluginBuilder Before(Func<AuthContext, bool> matches, BeforeHook hook) { _registry.BeforeHooks.Add(new(matches, hook)); return this; }
    /// <summary>Runs a hook after the endpoints the predicate accepts.</summary>
    public AuthPluginBuilder After(Func<AuthContext, bool> matches, AfterHook hook) { _registry.AfterHooks.Add(new(matches, hook)); return this; }
    /// <summary>Adds database hooks.</summary>
    public AuthPluginBuilder AddLifecycle(IAuthLifecycle lifecycle) { _registry.Lifecycles.Add(lifecycle); return this; }
    /// <summary>Asks <paramref name="challenge"/> before every primary sign-in issues a session (e.g. a second factor).</summary>
    public AuthPluginBuilder AddSignInChallenge(ISignInChallenge challenge) { _registry.SignInChallenges.Add(challenge); return this; }
    /// <summary>A rate rule for paths the predicate accepts; the first plugin rule that matches a path wins over the built-in one.</summary>
    public AuthPluginBuilder AddRateLimit(Func<string, bool> matches, RateLimitRule rule) { _registry.RateRules.Add(new(matches, rule)); return this; }
    /// <summary>Source-generated JSON metadata for the plugin's request and response types.</summary>
    public AuthPluginBuilder AddJsonTypes(IJsonTypeInfoResolver resolver) { _registry.JsonResolvers.Add(resolver); return this; }
    /// <summary>
    /// Claims the prefix of the plugin's verification identifiers (e.g. <c>2fa-</c>), so that flows keyed by a
    /// client value (phone numbers, OAuth states) can never name the plugin's rows. See <see cref="VerificationIdentifiers"/>.
    /// </summary>
    public AuthPluginBuilder ReserveVerificationPrefix(string prefix) { _registry.VerificationIdentifiers.ReservePrefix(prefix); return this; }
    /// <summary>Claims the suffix of the plugin's verification identifiers (see <see cref="ReserveVerificationPrefix"/>).</summary>
    public AuthPluginBuilder ReserveVerificationSuffix(string suffix) { _registry.VerificationIdentifiers.ReserveSuffix(suffix); return this; }

    /// <summary>
    /// Declares a text column of one of the plugin's tables that holds values encrypted with
    /// <see cref="Crypto.SymmetricCipher"/>, so re-encryption after a secret rotation (<c>rotate-secrets</c>) rewrites it.
    /// </summary>
    internal AuthPluginBuilder AddEncryptedColumn<TEntity>(string property, CiphertextFormat format = CiphertextFormat.Raw) where TEntity : class
    {
        _registry.EncryptedColumns.Add(new EncryptedColumn(typeof(TEntity), property, format));
        return this;
    }
}

/// <summary>A property of an entity whose values are <see cref="Crypto.SymmetricCipher"/> ciphertexts.</summary>
internal sealed record EncryptedColumn(Type Entity, string Property, CiphertextFormat Format = CiphertextFormat.Raw);

/// <summary>How a column holds a <see cref="Crypto.SymmetricCipher"/> ciphertext.</summary>
internal enum CiphertextFormat
{
    /// <summary>The ciphertext itself (two-factor secrets and backup codes).</summary>
    Raw,
    /// <summary>
    /// A JSON string of the ciphertext (Better Auth's <c>jwks.privateKey</c>); a JSON object there is a value stored
    /// unencrypted, left alone.
    /// </summary>
    JsonString,
}

/// <summary>Runs before an endpoint; an answer returned here is sent instead of the endpoint's.</summary>
public delegate ValueTask<AuthResult?> BeforeHook(AuthContext ctx);
/// <summary>Runs after an endpoint and may replace its answer.</summary>
public delegate ValueTask<AuthResult> AfterHook(AuthContext ctx, AuthResult result);

internal sealed record BeforeHookRegistration(Func<AuthContext, bool> Matches, BeforeHook Hook);
internal sealed record AfterHookRegistration(Func<AuthContext, bool> Matches, AfterHook Hook);
internal sealed record RateRuleRegistration(Func<string, bool> Matches, RateLimitRule Rule);

/// <summary>
/// Database hooks around the rows core writes (Better Auth's <c>databaseHooks</c>): a plugin can refuse a session
/// (a banned user), fill defaults on a user, or clean up its own rows before a user is deleted.
/// Throwing an <see cref="Errors.AuthError"/> aborts the operation with that answer.
/// Plugins add theirs with <see cref="AuthPluginBuilder.AddLifecycle"/>; a host registers implementations as
/// <c>IAuthLifecycle</c> services (any lifetime), which run after the plugins' hooks. The hooks run for work outside a
/// request too (a host's own <see cref="Storage.AuthStoreContext"/>): there <see cref="Storage.AuthStoreContext.Request"/> is null.
/// </summary>
public interface IAuthLifecycle
{
    /// <summary>Before a user is created.</summary>
    ValueTask OnUserCreatingAsync(AuthStoreContext ctx, User user) => ValueTask.CompletedTask;
    /// <summary>After a user is created.</summary>
    ValueTask OnUserCreatedAsync(AuthStoreContext ctx, User user) => ValueTask.CompletedTask;
    /// <summary>Before a user update is saved; <paramref name="user"/> already carries the new values (and may be changed further).</summary>
    ValueTask OnUserUpdatingAsync(AuthStoreContext ctx, User user) => ValueTask.CompletedTask;
    /// <summary>After a user is updated.</summary>
    ValueTask OnUserUpdatedAsync(AuthStoreContext ctx, User user) => ValueTask.CompletedTask;
    /// <summary>Before a session is created (throw to refuse the sign-in).</summary>
    ValueTask OnSessionCreatingAsync(AuthStoreContext ctx, Session session) => ValueTask.CompletedTask;
    /// <summary>After a session is created.</summary>
    ValueTask OnSessionCreatedAsync(AuthStoreContext ctx, Session session) => ValueTask.CompletedTask;
    /// <summary>Before a session's expiry is extended (get-session's refresh); <paramref name="session"/> carries the new expiry.</summary>
    ValueTask OnSessionUpdatingAsync(AuthStoreContext ctx, Session session) => ValueTask.CompletedTask;
    /// <summary>After a session's expiry is extended.</summary>
    ValueTask OnSessionUpdatedAsync(AuthStoreContext ctx, Session session) => ValueTask.CompletedTask;
    /// <summary>Before a user is deleted.</summary>
    ValueTask OnUserDeletingAsync(AuthStoreContext ctx, User user) => ValueTask.CompletedTask;
}

/// <summary>Everything core and the plugins registered, frozen once the host is built.</summary>
internal sealed class AuthRegistry
{
    public List<AuthEndpoint> Endpoints { get; } = new();
    public AuthSchema Schema { get; } = new();
    public List<Action<ModelBuilder>> PluginModels { get; } = new();
    public List<BeforeHookRegistration> BeforeHooks { get; } = new();
    public List<AfterHookRegistration> AfterHooks { get; } = new();
    public List<IAuthLifecycle> Lifecycles { get; } = new();
    public List<ISignInChallenge> SignInChallenges { get; } = new();
    public List<RateRuleRegistration> RateRules { get; } = new();
    public List<IJsonTypeInfoResolver> JsonResolvers { get; } = new();
    /// <summary>Which flow each verification identifier belongs to (core's and the plugins' reserved marks).</summary>
    internal VerificationIdentifiers VerificationIdentifiers { get; } = new();
    public List<EncryptedColumn> EncryptedColumns { get; } = new();
}
