using System.Text.Json.Nodes;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.Admin;

/// <summary>A test host with the admin plugin, and signed-in browsers for an admin and for plain users.</summary>
internal sealed class AdminTestKit : IAsyncDisposable
{
    public const string Password = "password123";
    public const string SessionCookie = "better-auth.session_token";
    public const string AdminCookie = "better-auth.admin_session";

    private AdminTestKit(AuthTestHost host) => Host = host;

    public AuthTestHost Host { get; }

    public static async Task<AdminTestKit> StartAsync(AdminOptions? options = null, Action<BetterAuthOptions>? configure = null)
    {
        var host = await AuthTestHost.StartAsync(o =>
        {
            o.Plugins.Add(new AdminPlugin(options ?? new AdminOptions()));
            configure?.Invoke(o);
        });
        return new AdminTestKit(host);
    }

    /// <summary>A signed-up, signed-in user with the given role written straight into the database.</summary>
    public async Task<(TestClient Client, string Id)> UserAsync(string email, string? role = null)
    {
        var client = Host.Client();
        var signUp = await client.SignUpAsync(email, Password);
        var id = signUp["user"]!["id"]!.GetValue<string>();
        if (role is not null) await SetRoleAsync(id, role);
        return (client, id);
    }

    public Task<(TestClient Client, string Id)> AdminAsync(string email = "admin@example.com") => UserAsync(email, "admin");

    /// <summary>Writes a user with a chosen id and a credential account (password <see cref="Password"/>) straight into the database.</summary>
    public async Task InsertUserAsync(string id, string email, string? role)
    {
        var hash = await new FastTestHasher().HashAsync(Password);
        var now = Host.Runtime.Now;
        await Host.WithDbAsync(async db =>
        {
            var user = new User { Id = id, Email = email, Name = email, CreatedAt = now, UpdatedAt = now };
            user["role"] = role;
            db.Users.Add(user);
            db.Accounts.Add(new Account { Id = id + "-account", AccountId = id, ProviderId = Account.CredentialProvider, UserId = id, Password = hash, CreatedAt = now, UpdatedAt = now });
            return await db.SaveChangesAsync();
        });
    }

    public Task SetRoleAsync(string userId, string role) => Host.WithDbAsync(db =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string>(u, "role"), role)));

    public Task<T?> ColumnAsync<T>(string userId, string column) => Host.WithDbAsync(db =>
        db.Users.Where(u => u.Id == userId).Select(u => EF.Property<T>(u, column)).FirstOrDefaultAsync());

    public Task<int> SessionCountAsync(string userId) => Host.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == userId));

    /// <summary>The raw session token a browser holds (the part before the signature).</summary>
    public static string TokenOf(TestClient client) => Uri.UnescapeDataString(client.Cookies[SessionCookie]).Split('.')[0];

    public static string? Str(JsonNode? node, string name) => node?[name]?.GetValue<string>();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
