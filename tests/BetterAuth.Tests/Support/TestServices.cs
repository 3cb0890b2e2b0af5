using System.Diagnostics;
using System.Runtime.CompilerServices;
using Npgsql;

namespace BetterAuth.Tests.Support;

/// <summary>
/// The real PostgreSQL and Redis servers the storage tests run against. Settings come from the environment
/// (<c>BETTER_AUTH_TEST_POSTGRES</c>, <c>BETTER_AUTH_TEST_REDIS</c>, as <c>scripts/services.sh start</c> prints them and
/// scripts/test.sh exports them); when they are not set, the script is run here, once per test process, and the
/// servers it started are stopped when the process exits.
/// </summary>
public static class TestServices
{
    private static readonly Lazy<(string Postgres, string Redis)> Settings = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Postgres => Settings.Value.Postgres;
    public static string Redis => Settings.Value.Redis;

    /// <summary>Whether the whole in-process suite runs on PostgreSQL (<c>BETTER_AUTH_TEST_DATABASE=postgres</c>).</summary>
    public static bool SuiteOnPostgres =>
        Environment.GetEnvironmentVariable("BETTER_AUTH_TEST_DATABASE")?.Trim().ToLowerInvariant() is "postgres" or "postgresql";

    /// <summary>Whether the whole in-process suite also caches sessions and counts rate limits in Redis (<c>BETTER_AUTH_TEST_REDIS_STORAGE=1</c>).</summary>
    public static bool SuiteOnRedis =>
        Environment.GetEnvironmentVariable("BETTER_AUTH_TEST_REDIS_STORAGE")?.Trim() is "1" or "true";

    /// <summary>
    /// A fresh, empty schema on the test server and a connection string whose search path is it, so each test host
    /// has a database of its own; disposing drops the schema.
    /// </summary>
    public static async Task<PostgresSchema> NewPostgresSchemaAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(Postgres)
        {
            SearchPath = name,
            // Many short-lived hosts: keep each one's pool small and let idle connections go quickly.
            MaxPoolSize = 20,
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        };
        return new PostgresSchema(name, builder.ConnectionString);
    }

    private static (string, string) Start()
    {
        var fromEnv = (Environment.GetEnvironmentVariable("BETTER_AUTH_TEST_POSTGRES"), Environment.GetEnvironmentVariable("BETTER_AUTH_TEST_REDIS"));
        if (!string.IsNullOrEmpty(fromEnv.Item1) && !string.IsNullOrEmpty(fromEnv.Item2)) return (fromEnv.Item1, fromEnv.Item2);

        var dir = Environment.GetEnvironmentVariable("BETTER_AUTH_SERVICES_DIR") ?? "/tmp/better-auth-services";
        var alreadyRunning = Run("env", dir).Contains("BETTER_AUTH_TEST_POSTGRES=", StringComparison.Ordinal);
        var output = Run("start", dir);
        // Servers someone else started (a developer's shell, scripts/test.sh) stay up; ours stop with the process.
        if (!alreadyRunning) AppDomain.CurrentDomain.ProcessExit += (_, _) => Run("stop", dir);
        // Lines of the form: export NAME='value'
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.StartsWith("export ", StringComparison.Ordinal) ? l[7..] : l)
            .Where(l => l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('\''));
        return (values["BETTER_AUTH_TEST_POSTGRES"], values["BETTER_AUTH_TEST_REDIS"]);
    }

    private static string Run(string command, string dir)
    {
        var script = Path.Combine(RepoRoot(), "scripts", "services.sh");
        var info = new ProcessStartInfo("bash", [script, command, dir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) throw new TimeoutException($"scripts/services.sh {command} did not finish.");
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/services.sh {command} failed: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>
    /// The repository: <c>BETTER_AUTH_REPO_ROOT</c>, else the first directory holding <c>BetterAuth.sln</c> upwards from
    /// this source file's compile-time path or from the test binaries. Both are tried because a CI build
    /// (<c>ContinuousIntegrationBuild</c>) maps source paths to <c>/_/</c>, and binaries may be built outside the tree.
    /// </summary>
    internal static string RepoRoot() =>
        TryRepoRoot() ?? throw new DirectoryNotFoundException("No BetterAuth.sln above the tests' sources or binaries; set BETTER_AUTH_REPO_ROOT.");

    /// <summary>As <see cref="RepoRoot"/>, or null when no repository is found.</summary>
    internal static string? TryRepoRoot([CallerFilePath] string source = "")
    {
        if (Environment.GetEnvironmentVariable("BETTER_AUTH_REPO_ROOT") is { Length: > 0 } root) return root;
        foreach (var start in new[] { Path.GetDirectoryName(source), AppContext.BaseDirectory })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BetterAuth.sln"))) return dir.FullName;
            }
        }
        return null;
    }
}

/// <summary>A throwaway schema on the test PostgreSQL server.</summary>
public sealed class PostgresSchema(string name, string connectionString) : IAsyncDisposable
{
    public string Name { get; } = name;
    public string ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync()
    {
        // Close this schema's pooled connections first: hundreds of hosts would otherwise exhaust max_connections.
        await using (var pooled = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(pooled);
        await using var connection = new NpgsqlConnection(TestServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// A PostgreSQL and a Redis server of one test's own (scripts/services.sh in a directory of its own), for tests that take
/// them down and bring them back (<see cref="StopAsync"/>, <see cref="StartAsync"/>) without disturbing the servers other
/// tests share. Disposing stops both and deletes their data.
/// </summary>
public sealed class OwnServices : IAsyncDisposable
{
    private readonly string _dir;

    private OwnServices(string dir, Dictionary<string, string> settings)
    {
        _dir = dir;
        Postgres = settings["BETTER_AUTH_TEST_POSTGRES"];
        Redis = settings["BETTER_AUTH_TEST_REDIS"];
    }

    /// <summary>An Npgsql connection string to the server's <c>postgres</c> database.</summary>
    public string Postgres { get; }
    /// <summary><c>127.0.0.1:port</c> of the Redis server.</summary>
    public string Redis { get; }

    public static async Task<OwnServices> StartNewAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ba-own-services-" + Guid.NewGuid().ToString("N")[..12]);
        var output = await RunAsync("start", dir);
        var settings = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("export ", StringComparison.Ordinal) && l.Contains('='))
            .Select(l => l[7..])
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('\''));
        return new OwnServices(dir, settings);
    }

    /// <summary>Stops one server (<c>postgres</c> or <c>redis</c>), keeping its port and data: an outage.</summary>
    public Task StopAsync(string service) => RunAsync("stop-one", service, _dir);

    /// <summary>Starts a stopped server again on the same port.</summary>
    public Task StartAsync(string service) => RunAsync("start-one", service, _dir);

    public async ValueTask DisposeAsync() => await RunAsync("stop", _dir);

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var script = Path.Combine(TestServices.RepoRoot(), "scripts", "services.sh");
        var info = new ProcessStartInfo("bash", [script, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/services.sh {string.Join(' ', arguments)} failed: {await stderr}");
        return await stdout;
    }
}
