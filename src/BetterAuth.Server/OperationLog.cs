using BetterAuth.Core.Http;

namespace BetterAuth.Server;

/// <summary>
/// Opt-in record of which API operations this process served (<c>BETTER_AUTH_OPERATION_LOG_DIR</c>): one line per
/// request that reached an endpoint, <c>METHOD /route-template STATUS</c> (e.g. <c>GET /reset-password/{token} 302</c>).
/// The end-to-end suites use it to measure operation coverage. Each process writes its own file in the directory,
/// so several servers can log into one directory without interleaving; nothing is registered when the variable is unset.
/// </summary>
public sealed class OperationLog : IDisposable
{
    private readonly StreamWriter writer;
    private readonly Lock gate = new();

    public OperationLog(string directory)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"operations-{Environment.ProcessId}-{Guid.NewGuid():N}.log");
        // Flushed per line: test servers are stopped with SIGTERM/SIGKILL, and a line must not be lost in a buffer.
        writer = new StreamWriter(new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public void Record(AuthEndpoint endpoint, int status)
    {
        var line = $"{endpoint.Method} {endpoint.Path} {status}";
        lock (gate)
        {
            // A request still finishing while the host shuts down is not worth an exception.
            try { writer.WriteLine(line); }
            catch (ObjectDisposedException) { }
        }
    }

    public void Dispose()
    {
        lock (gate) writer.Dispose();
    }
}

public static class OperationLogExtensions
{
    /// <summary>Adds the recording middleware when <paramref name="directory"/> is set; otherwise the pipeline is unchanged.</summary>
    public static void UseOperationLog(this WebApplication app, string? directory)
    {
        if (string.IsNullOrEmpty(directory)) return;
        var log = new OperationLog(directory);
        app.Lifetime.ApplicationStopped.Register(log.Dispose);
        app.Use(async (http, next) =>
        {
            try { await next(http); }
            finally
            {
                if (http.GetEndpoint()?.Metadata.GetMetadata<AuthEndpoint>() is { } endpoint) log.Record(endpoint, http.Response.StatusCode);
            }
        });
    }
}
