using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Tests.AspNetCore;

/// <summary>
/// <c>AddHealthChecks().AddBetterAuth()</c> and <c>MapBetterAuthHealthChecks()</c> against real servers: readiness
/// fails while PostgreSQL or Redis is down and recovers by itself when it is back; liveness never depends on them.
/// The servers are the test's own (scripts/services.sh stop-one/start-one), so the outage touches no other test.
/// </summary>
public sealed class HealthCheckTests
{
    private sealed record Health(int Status, string? Overall, JsonObject? Checks);

    private sealed class Host(WebApplication app, ConcurrentQueue<(EventId Id, string Message)> logs) : IAsyncDisposable
    {
        private readonly HttpClient _http = app.GetTestServer().CreateClient();
        public ConcurrentQueue<(EventId Id, string Message)> Logs { get; } = logs;

        public async Task<Health> GetAsync(string path)
        {
            using var response = await _http.GetAsync(path);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal("no-store, no-cache", response.Headers.CacheControl?.ToString());
            return new Health((int)response.StatusCode, json["status"]?.GetValue<string>(), json["checks"]?.AsObject());
        }

        /// <summary>Polls readiness until it answers <paramref name="status"/> (the checks run on each request).</summary>
        public async Task<Health> ReadyBecomesAsync(int status, TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            Health last;
            do
            {
                last = await GetAsync("/health/ready");
                if (last.Status == status) return last;
                await Task.Delay(250);
            } while (DateTime.UtcNow < deadline);
            Assert.Fail($"readiness stayed {last.Status} {last.Checks?.ToJsonString()} for {within}");
            return last;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<Host> StartAsync(Action<BetterAuthOptions> storage, Action<BetterAuthBuilder> packages)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var logs = new ConcurrentQueue<(EventId, string)>();
        builder.Logging.AddProvider(new QueueLoggerProvider(logs));
        var auth = builder.Services.AddBetterAuth(o =>
        {
            o.Secret = AuthTestHost.Secret;
            o.BaseUrl = AuthTestHost.Origin;
            o.Database.MigrateOnStart = true;
            storage(o);
        });
        packages(auth);
        builder.Services.AddHealthChecks().AddBetterAuth(TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.MapBetterAuthHealthChecks();
        app.MapBetterAuth();
        await app.StartAsync();
        return new Host(app, logs);
    }

    [Fact]
    public async Task Sqlite_LiveRunsNoCheck_ReadyChecksTheDatabaseOnly()
    {
        var dir = Directory.CreateTempSubdirectory("ba-health-").FullName;
        await using var host = await StartAsync(o => o.Database.ConnectionString = $"Data Source={Path.Combine(dir, "auth.db")}", b => b.UseSqlite());

        var live = await host.GetAsync("/health/live");
        Assert.Equal((200, "Healthy"), (live.Status, live.Overall));
        Assert.Empty(live.Checks!);
        var ready = await host.GetAsync("/health/ready");
        Assert.Equal((200, "Healthy"), (ready.Status, ready.Overall));
        Assert.Equal("""{"better_auth.database":"Healthy"}""", ready.Checks!.ToJsonString());
    }

    [Fact]
    public async Task PostgresAndRedis_ReadinessFailsWhileEitherIsDown_AndRecoversWhenItIsBack()
    {
        await using var services = await OwnServices.StartNewAsync();
        await using var host = await StartAsync(o =>
        {
            o.Database.Provider = "postgres";
            o.Database.ConnectionString = services.Postgres;
            o.SecondaryStorage.Redis = services.Redis;
        }, b => b.UsePostgreSql().UseRedis());

        var ready = await host.ReadyBecomesAsync(200, TimeSpan.FromSeconds(30));
        Assert.Equal("""{"better_auth.database":"Healthy","better_auth.redis":"Healthy"}""", ready.Checks!.ToJsonString());

        foreach (var (service, check) in new[] { ("postgres", "better_auth.database"), ("redis", "better_auth.redis") })
        {
            await services.StopAsync(service);
            var down = await host.ReadyBecomesAsync(503, TimeSpan.FromSeconds(30));
            Assert.Equal("Unhealthy", down.Overall);
            Assert.Equal("Unhealthy", down.Checks![check]!.GetValue<string>());
            Assert.All(down.Checks.Where(c => c.Key != check), c => Assert.Equal("Healthy", c.Value!.GetValue<string>()));
            // Liveness is about the process, not its dependencies: a restart would not help.
            Assert.Equal(200, (await host.GetAsync("/health/live")).Status);

            await services.StartAsync(service);
            await host.ReadyBecomesAsync(200, TimeSpan.FromSeconds(60));
        }

        // Each outage is logged once when it starts and once when it ends, without error details in the answers.
        var dependency = host.Logs.Where(l => l.Id.Id is 1101 or 1102).Select(l => (l.Id.Name, l.Message)).ToList();
        Assert.Equal([
            ("DependencyUnavailable", "Readiness: database cannot be reached"), ("DependencyRecovered", "Readiness: database is reachable again"),
            ("DependencyUnavailable", "Readiness: redis cannot be reached"), ("DependencyRecovered", "Readiness: redis is reachable again"),
        ], dependency);
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<(EventId, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(logs);
        public void Dispose() { }

        private sealed class QueueLogger(ConcurrentQueue<(EventId, string)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) logs.Enqueue((eventId, formatter(state, exception)));
            }
        }
    }
}
