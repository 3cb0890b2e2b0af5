using BetterAuth.Core;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BetterAuth.Tests.Support;

/// <summary>
/// An ASP.NET Core app hosting the library in-process (TestServer) over a fresh SQLite file, with a fake clock
/// and a fast password hasher, so tests run black-box over HTTP in milliseconds. With
/// <c>BETTER_AUTH_TEST_DATABASE=postgres</c> (or <see cref="TestStorage"/>) the database is a fresh PostgreSQL schema
/// instead, and with Redis storage sessions and rate limits also go through a Redis key space of the host's own.
/// </summary>
public sealed class AuthTestHost : IAsyncDisposable
{
    public const string Origin = "http://localhost";
    public const string Secret = "test-secret-0123456789abcdef0123456789abcdef";

    private readonly WebApplication _app;
    private readonly string _dir;
    private readonly PostgresSchema? _schema;

    public FakeTimeProvider Clock { get; }
    public IServiceProvider Services => _app.Services;
    public RecordingSender Outbox { get; }

    private AuthTestHost(WebApplication app, FakeTimeProvider clock, string dir, RecordingSender outbox, PostgresSchema? schema)
    {
        _schema = schema;
        _app = app;
        Clock = clock;
        _dir = dir;
        Outbox = outbox;
    }

    public static async Task<AuthTestHost> StartAsync(Action<BetterAuthOptions>? configure = null,
        Action<IServiceCollection>? services = null, bool realHasher = false, bool withSender = true, TestStorage? storage = null)
    {
        storage ??= TestStorage.Current;
        var schema = storage.Postgres ? await TestServices.NewPostgresSchemaAsync() : null;
        var dir = Directory.CreateTempSubdirectory("ba-test-").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        if (!realHasher) builder.Services.AddSingleton<IPasswordHasher, FastTestHasher>();
        var outbox = new RecordingSender();
        if (withSender) builder.Services.AddSingleton<IAuthMessageSender>(outbox);
        services?.Invoke(builder.Services);
        var auth = builder.Services.AddBetterAuth(o =>
        {
            o.Database.MigrateOnStart = true;
            o.BaseUrl = Origin;
            o.Secret = Secret;
            o.RateLimit.Enabled = false;
            o.Database.ConnectionString = $"Data Source={Path.Combine(dir, "auth.db")}";
            if (schema is not null)
            {
                o.Database.Provider = "postgres";
                o.Database.ConnectionString = schema.ConnectionString;
            }
            if (storage.Redis)
            {
                o.SecondaryStorage.Redis = TestServices.Redis;
                o.SecondaryStorage.KeyPrefix = $"test-{Guid.NewGuid():N}:";
            }
            configure?.Invoke(o);
            // A test that points the host at a SQLite file of its own (a database the reference made) keeps SQLite.
            if (o.Database.IsPostgres && o.Database.ConnectionString.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase))
                o.Database.Provider = "sqlite";
        });
        // The storage packages, chosen as the options end up (a test may point a host at a SQLite file of its own).
        var chosen = new BetterAuthOptions();
        chosen.Database.ConnectionString = $"Data Source={Path.Combine(dir, "auth.db")}";
        if (schema is not null) (chosen.Database.Provider, chosen.Database.ConnectionString) = ("postgres", schema.ConnectionString);
        configure?.Invoke(chosen);
        if (chosen.Database.IsPostgres && !chosen.Database.ConnectionString.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)) auth.UsePostgreSql();
        else auth.UseSqlite();
        if (storage.Redis) auth.UseRedis();
        var app = builder.Build();
        // TestServer has no socket: give each request the address a test names (X-Test-Ip), else loopback.
        app.Use((http, next) =>
        {
            http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(
                http.Request.Headers["X-Test-Ip"].FirstOrDefault() ?? "127.0.0.1");
            return next(http);
        });
        app.MapBetterAuth();
        await app.StartAsync();
        return new AuthTestHost(app, clock, dir, outbox, schema);
    }

    public TestClient Client(string? origin = Origin) => new(_app.GetTestServer().CreateClient(), origin);

    public AuthRuntime Runtime => Services.GetRequiredService<AuthRuntime>();

    /// <summary>
    /// Runs <paramref name="action"/> against the database in its own scope. With Redis storage, the sessions cached
    /// so far are dropped afterwards: a test that edits rows behind the server's back expects it to see the edit.
    /// </summary>
    public async Task<T> WithDbAsync<T>(Func<AuthDbContext, Task<T>> action)
    {
        T result;
        await using (var scope = Services.CreateAsyncScope())
            result = await action(scope.ServiceProvider.GetRequiredService<AuthDbContext>());
        if (Runtime.Options.SecondaryStorage.Redis is { Length: > 0 } redis)
        {
            var prefix = Runtime.Options.SecondaryStorage.KeyPrefix + "active-sessions-";
            using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis);
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
                await Services.ForgetCachedSessionsAsync(((string)key!)[prefix.Length..]);
        }
        return result;
    }

    /// <summary>Stops the host as a shutdown does (hosted services stopped, <paramref name="ct"/> standing for the shutdown timeout); services stay usable.</summary>
    public Task StopAsync(CancellationToken ct = default) => _app.StopAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_schema is not null) await _schema.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Where a test host keeps its data: SQLite (default) or PostgreSQL, with or without Redis secondary storage.</summary>
public sealed record TestStorage(bool Postgres, bool Redis)
{
    public static readonly TestStorage Sqlite = new(false, false);
    private static readonly AsyncLocal<TestStorage?> PinnedStorage = new();

    /// <summary>What hosts started by the current test use: pinned, else the suite's (environment) choice.</summary>
    public static TestStorage Current => PinnedStorage.Value ?? new(TestServices.SuiteOnPostgres, TestServices.SuiteOnRedis);

    /// <summary>
    /// Makes hosts started by the rest of the calling test use <paramref name="storage"/>: for tests that read
    /// SQLite's own catalog (pragma_table_info…) or assert SQLite-only behaviour, when the suite runs on PostgreSQL.
    /// </summary>
    public static IDisposable Pin(TestStorage storage)
    {
        var previous = PinnedStorage.Value;
        PinnedStorage.Value = storage;
        return new Restore(() => PinnedStorage.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

/// <summary>A stand-in hasher with Better Auth's stored format but trivial cost; the real scrypt is tested on its own.</summary>
public sealed class FastTestHasher : IPasswordHasher
{
    public ValueTask<string> HashAsync(string password, CancellationToken ct = default) =>
        ValueTask.FromResult("00000000000000000000000000000000:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(password))));

    public async ValueTask<bool> VerifyAsync(string hash, string password, CancellationToken ct = default) =>
        hash == await HashAsync(password, ct);
}

public sealed class RecordingSender : IAuthMessageSender
{
    public bool DeliversInBackground => false;
    public List<AuthMessage> Messages { get; } = new();
    public AuthMessage? Last(string kind) { lock (Messages) return Messages.LastOrDefault(m => m.Kind == kind); }
    public Task SendAsync(AuthMessage message, CancellationToken ct = default)
    {
        lock (Messages) Messages.Add(message);
        return Task.CompletedTask;
    }
}
