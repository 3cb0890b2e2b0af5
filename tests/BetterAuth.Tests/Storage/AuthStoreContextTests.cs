using BetterAuth.Core.Errors;
using BetterAuth.Core.Events;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Tests.AspNetCore;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Storage;

/// <summary>
/// The store used outside any request (a background job, an import): the caller's address and user agent are given
/// explicitly, the plugins' and the host's lifecycle hooks run as for a request, and raised events reach the handlers
/// when the caller delivers them.
/// </summary>
public sealed class AuthStoreContextTests
{
    [Fact]
    public async Task WorkOutsideARequest_StampsTheGivenCaller_RunsTheHooks_AndDeliversItsEvents()
    {
        var hooks = new HookRecorder();
        var events = new CollectingHandler();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AdminPlugin()), services: s =>
        {
            s.AddSingleton<IAuthLifecycle>(hooks);
            s.AddSingleton<IAuthEventHandler<AuthEvent>>(events);
        });
        await using var scope = host.Services.CreateAsyncScope();
        var ctx = new AuthStoreContext(host.Runtime, scope.ServiceProvider.GetRequiredService<AuthDbContext>(), scope.ServiceProvider, "importUsers")
        {
            IpAddress = "203.0.113.7",
            UserAgent = "importer/1.0",
        };
        Assert.Null(ctx.Request);

        var user = await ctx.Store.CreateUserAsync(ctx.Store.NewUser("Imported@Example.com", "Imported"));
        Assert.Equal("imported@example.com", user.Email);
        Assert.Equal("user", user[AdminFields.Role]); // the admin plugin's creating hook filled the default role
        var session = await ctx.Store.CreateSessionAsync(user.Id);
        Assert.Equal("203.0.113.7", session.IpAddress);
        Assert.Equal("importer/1.0", session.UserAgent);
        Assert.Single(hooks.Named(nameof(IAuthLifecycle.OnUserCreatingAsync)));
        Assert.Single(hooks.Named(nameof(IAuthLifecycle.OnSessionCreatedAsync)));

        // Nothing is delivered until the caller says its work is committed; then each event once.
        Assert.Empty(events.Received);
        await ctx.DeliverEventsAsync();
        Assert.Equal(user.Id, Assert.IsType<UserCreatedEvent>(Assert.Single(events.Received)).User.Id);
        await ctx.DeliverEventsAsync();
        Assert.Single(events.Received);

        // The session it created is a real one: a client holding its token is signed in.
        var client = host.Client();
        client.Bearer = BetterAuth.Core.Cookies.AuthCookies.SignValue(host.Runtime.Signer, session.Token);
        var me = await client.GetAsync("/get-session");
        Assert.Equal(user.Id, me.Json?["user"]?["id"]?.GetValue<string>());

        // A ban refuses sessions made outside a request as well: the same hooks guard every path that creates one.
        await ctx.Store.UpdateUserAsync(user.Id, u => u[AdminFields.Banned] = true);
        var refused = await Assert.ThrowsAsync<AuthError>(() => ctx.Store.CreateSessionAsync(user.Id));
        Assert.Equal(403, refused.Status);
    }

    private sealed class CollectingHandler : IAuthEventHandler<AuthEvent>
    {
        private readonly List<AuthEvent> _received = new();
        public IReadOnlyList<AuthEvent> Received { get { lock (_received) return _received.ToList(); } }
        public ValueTask HandleAsync(AuthEvent e, CancellationToken ct) { lock (_received) _received.Add(e); return default; }
    }
}
