using Microsoft.Extensions.Configuration;

namespace BetterAuth.Server;

/// <summary>
/// <c>BetterAuth.Server healthcheck [--live]</c>: asks the server running in this container or machine for
/// <c>/health/ready</c> (or <c>/health/live</c>) on its own address, read from the same settings the server binds
/// with (<c>PORT</c>/<c>HOST</c>, else <c>ASPNETCORE_URLS</c>/<c>ASPNETCORE_HTTP_PORTS</c>/…), and exits 0 when it
/// answers 200, else 1. The image's HEALTHCHECK runs it, so the image needs no curl or shell.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args.Where(a => a.StartsWith("--urls", StringComparison.Ordinal)).ToArray())
            .Build();
        var path = args.Contains("--live") ? "/health/live" : "/health/ready";
        var url = new Uri(Address(config), path);
        using var handler = new HttpClientHandler
        {
            // Its own server on this machine, possibly with a certificate for the public name only.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(url);
            Console.WriteLine($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{url}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Where the server listens, as the server decides it (<see cref="ServerSettings"/>).</summary>
    public static Uri Address(IConfiguration config)
    {
        var hostAndPort = config["PORT"] is { Length: > 0 } || config["HOST"] is { Length: > 0 };
        if (!hostAndPort && ServerSettings.StandardBinding(config) is { } standard) return standard;
        var host = config["HOST"] is { Length: > 0 } h && h is not ("0.0.0.0" or "::") ? h : "127.0.0.1";
        if (host.Contains(':')) host = $"[{host}]";
        return new Uri($"http://{host}:{(int.TryParse(config["PORT"], out var port) ? port : 3000)}");
    }
}
