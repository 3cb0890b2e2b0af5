using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Organization;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Storage;

/// <summary>
/// A test host over one storage configuration, with plugins that add user and session columns and tables of their
/// own, and a way to call the store directly as a request would (its own scope and database context).
/// </summary>
public sealed class StorageHost : IAsyncDisposable
{
    private readonly List<AsyncServiceScope> _scopes = new();

    public AuthTestHost Host { get; }

    private StorageHost(AuthTestHost host) => Host = host;

    public static async Task<StorageHost> StartAsync(TestStorage storage, Action<BetterAuthOptions>? configure = null) =>
        new(await AuthTestHost.StartAsync(o =>
        {
            o.Plugins.Add(new StorageProbePlugin());
            o.Plugins.Add(new OrganizationPlugin());
            o.Plugins.Add(new TwoFactorPlugin());
            configure?.Invoke(o);
        }, storage: storage));

    /// <summary>A fresh request context: its own DI scope, so its own database context and connection.</summary>
    public AuthContext Context()
    {
        var scope = Host.Services.CreateAsyncScope();
        _scopes.Add(scope);
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        return new AuthContext(http, Host.Runtime, AuthEndpoint.Get("/storage-test", _ => ValueTask.FromResult(AuthResult.Null)));
    }

    public AuthStore Store() => Context().Store;

    public DateTime Now => Host.Runtime.Now;

    /// <summary>A saved user with a credential account.</summary>
    public async Task<User> NewUserAsync(string email, Action<User>? change = null)
    {
        var store = Store();
        var user = store.NewUser(email, "Storage User");
        change?.Invoke(user);
        return await store.CreateUserAsync(user, store.NewCredentialAccount(user.Id, "hash:" + email));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes) await scope.DisposeAsync();
        await Host.DisposeAsync();
    }
}

/// <summary>Columns of every type on user and session, as plugins add them.</summary>
internal sealed class StorageProbePlugin : BetterAuth.Core.Plugins.IBetterAuthPlugin
{
    public const string Flag = "probeFlag";
    public const string Stamp = "probeStamp";
    public const string Count = "probeCount";
    public const string Label = "probeLabel";
    public const string Note = "probeNote";

    public string Id => "storage-probe";

    public void Configure(BetterAuth.Core.Plugins.AuthPluginBuilder builder) => builder
        .AddUserField(new FieldDefinition(Flag, FieldType.Boolean))
        .AddUserField(new FieldDefinition(Stamp, FieldType.Date))
        .AddUserField(new FieldDefinition(Count, FieldType.Number))
        .AddUserField(new FieldDefinition(Label, FieldType.String) { Unique = true })
        .AddSessionField(new FieldDefinition(Note, FieldType.String));
}
