namespace BetterAuth.Server;

/// <summary>The standalone server's own log messages (event ids 8001-8003, listed in docs/OBSERVABILITY.md).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 8001, EventName = "ServerStarted", Level = LogLevel.Information,
        Message = "Better Auth server on {Addresses}{BasePath} (database {Database}; OTLP export {Otlp})")]
    public static partial void ServerStarted(ILogger logger, IEnumerable<string> addresses, string basePath, string database, string otlp);

    [LoggerMessage(EventId = 8002, EventName = "RequestServed", Level = LogLevel.Information,
        Message = "{Protocol} {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    public static partial void RequestServed(ILogger logger, string protocol, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 8003, EventName = "HostedPagesNotBuilt", Level = LogLevel.Warning,
        Message = "Hosted pages are not built ({Root} has no assets): run scripts/setup.sh, or `npm ci && npm run build` in web/.")]
    public static partial void HostedPagesNotBuilt(ILogger logger, string root);
}
