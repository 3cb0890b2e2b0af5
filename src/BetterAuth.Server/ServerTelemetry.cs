using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BetterAuth.Server;

/// <summary>
/// OpenTelemetry export of the standalone server: when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, traces, metrics and
/// logs go to that OTLP endpoint (the exporter's standard variables apply: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// <c>…_HEADERS</c>, <c>OTEL_SERVICE_NAME</c> (default <c>better-auth</c>), <c>OTEL_RESOURCE_ATTRIBUTES</c>, …).
/// Better Auth's own source and meter, ASP.NET Core, outgoing HTTP (OAuth providers, SMS webhook) and the .NET runtime
/// are collected; the health endpoints are not traced. Secrets that travel in URLs are redacted as in the request log.
/// </summary>
public static class ServerTelemetry
{
    public static bool Enabled(IConfiguration config) => !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static void AddOtlpExport(this WebApplicationBuilder builder)
    {
        if (!Enabled(builder.Configuration)) return;
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "better-auth";
        var version = typeof(BetterAuthDiagnostics).Assembly.GetName().Version?.ToString(3);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version))
            .WithTracing(tracing => tracing
                .AddSource(BetterAuthDiagnostics.ActivitySourceName)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/health");
                    // url.path holds the reset token of /reset-password/{token}; the query is redacted by the instrumentation.
                    o.EnrichWithHttpRequest = (activity, request) =>
                        activity.SetTag("url.path", RequestLogging.Redact(request.Path, QueryString.Empty));
                })
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(BetterAuthDiagnostics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithLogging()
            .UseOtlpExporter();
    }
}
