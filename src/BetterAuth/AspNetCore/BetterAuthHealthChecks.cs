using System.Data.Common;
using System.Text.Json;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BetterAuth;

/// <summary>
/// Health checks of the services Better Auth depends on, on <c>Microsoft.Extensions.Diagnostics.HealthChecks</c>:
/// <c>services.AddHealthChecks().AddBetterAuth()</c>, then <c>app.MapBetterAuthHealthChecks()</c> for liveness and
/// readiness endpoints (or map them yourself, with the checks tagged <see cref="ReadyTag"/>).
/// </summary>
public static class BetterAuthHealthCheckExtensions
{
    /// <summary>The tag of Better Auth's checks: they decide readiness (can serve requests), not liveness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds a readiness check per service Better Auth depends on: <c>better_auth.database</c> (a <c>SELECT 1</c> on the
    /// configured database) and, with <c>UseRedis()</c>, <c>better_auth.redis</c> (a <c>PING</c>). Each is unhealthy
    /// while its service cannot be reached and healthy again as soon as it can (the connections reconnect by
    /// themselves); a check that takes longer than <paramref name="timeout"/> (default 5 s) is unhealthy. Changes of
    /// state are logged (event ids 1101, 1102); the answers carry no error details.
    /// </summary>
    public static IHealthChecksBuilder AddBetterAuth(this IHealthChecksBuilder builder, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(DependencyCheckRegistrations))) return builder;
        builder.Services.AddSingleton(sp => new DependencyCheckRegistrations(sp.GetServices<AuthDependencyCheck>(), timeout ?? TimeSpan.FromSeconds(5)));
        builder.Services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => sp.GetRequiredService<DependencyCheckRegistrations>());
        return builder;
    }

    /// <summary>
    /// Maps <paramref name="livePath"/> (200 while the process serves requests; runs no check) and
    /// <paramref name="readyPath"/> (the checks tagged <see cref="ReadyTag"/>: 200 when all pass, else 503). Both answer
    /// JSON <c>{"status","checks":{name:status}}</c>, uncached. Returns a builder for both endpoints (e.g. to
    /// <c>RequireHost</c> them).
    /// </summary>
    public static IEndpointConventionBuilder MapBetterAuthHealthChecks(this IEndpointRouteBuilder endpoints,
        string livePath = "/health/live", string readyPath = "/health/ready")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var live = endpoints.MapHealthChecks(livePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync });
        var ready = endpoints.MapHealthChecks(readyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteJsonAsync,
        });
        return new BothEndpoints(live, ready);
    }

    private static async Task WriteJsonAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", report.Status.ToString());
        writer.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries) writer.WriteString(name, entry.Status.ToString());
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private sealed class BothEndpoints(IEndpointConventionBuilder first, IEndpointConventionBuilder second) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            first.Add(convention);
            second.Add(convention);
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            first.Finally(finallyConvention);
            second.Finally(finallyConvention);
        }
    }
}

/// <summary>
/// A service Better Auth depends on and how to probe it: core registers the database's, storage packages their own
/// (BetterAuth.Redis: Redis). <see cref="BetterAuthHealthCheckExtensions.AddBetterAuth"/> turns each into a check.
/// </summary>
internal sealed class AuthDependencyCheck(string name, Func<IServiceProvider, CancellationToken, Task> probe)
{
    public string Name { get; } = name;
    public Func<IServiceProvider, CancellationToken, Task> Probe { get; } = probe;
    /// <summary>Whether the last probe failed, so only changes of state are logged.</summary>
    public bool Down { get; set; }

    /// <summary>The database: a <c>SELECT 1</c> on a connection of the pool, outside EF Core (no span, no log per probe).</summary>
    public static AuthDependencyCheck Database() => new("database", async (services, ct) =>
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>().Database;
        await db.OpenConnectionAsync(ct);
        try
        {
            await using DbCommand command = db.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(ct);
        }
        finally { await db.CloseConnectionAsync(); }
    });
}

/// <summary>Adds the registered dependencies' checks when the health check options are built (after every <c>UseXxx()</c>).</summary>
internal sealed class DependencyCheckRegistrations(IEnumerable<AuthDependencyCheck> dependencies, TimeSpan timeout)
    : IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions options)
    {
        foreach (var dependency in dependencies)
            // The check applies the timeout itself, so a dependency that hangs (Redis queues commands while it
            // reconnects) is reported and logged as down like one that refuses, rather than as a cancelled check.
            options.Registrations.Add(new HealthCheckRegistration("better_auth." + dependency.Name,
                sp => new DependencyHealthCheck(dependency, sp, sp.GetRequiredService<ILoggerFactory>().CreateLogger("BetterAuth.Health"), timeout),
                HealthStatus.Unhealthy, [BetterAuthHealthCheckExtensions.ReadyTag]));
    }
}

internal sealed class DependencyHealthCheck(AuthDependencyCheck dependency, IServiceProvider services, ILogger logger, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await dependency.Probe(services, limit.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (!dependency.Down) CoreLog.DependencyUnavailable(logger, e, dependency.Name);
            dependency.Down = true;
            return HealthCheckResult.Unhealthy($"{dependency.Name} unavailable");
        }
        if (dependency.Down) CoreLog.DependencyRecovered(logger, dependency.Name);
        dependency.Down = false;
        return HealthCheckResult.Healthy();
    }
}
