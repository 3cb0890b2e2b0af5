using BetterAuth;
using BetterAuth.Core.Messaging;
using BetterAuth.Server;
using BetterAuth.Server.Pages;

// The standalone Better Auth server: `dotnet run` serves the API on 127.0.0.1:3000 over a SQLite file;
// `dotnet run -- migrate [--dry-run]` creates or extends the tables and exits; `migrate --script` prints them as SQL;
// `healthcheck` asks the running server's /health/ready (the container image's HEALTHCHECK) and exits 0 or 1.
if (args.FirstOrDefault() == "healthcheck") return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = ServerSettings.Read(builder.Configuration, builder.Environment);
// `migrate --script` prints SQL on standard output: logs go to standard error there.
if (args.Contains("--script"))
    builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.CapPathLoggingCategories(); // request URLs carry reset and verification tokens: see RequestLogging

builder.WebHost.ConfigureKestrel(kestrel =>
{
    // HOST/PORT (or the default 127.0.0.1:3000); otherwise ASP.NET Core's own settings bind (see ServerSettings).
    if (settings.ListensOnHostAndPort) kestrel.Listen(settings.BindAddress, settings.Port);
    kestrel.Limits.MaxRequestBodySize = settings.Auth.MaxBodyBytes + 1;
    kestrel.AddServerHeader = false;
});

var auth = builder.Services.AddBetterAuth(settings.Auth);
if (settings.Auth.Database.IsPostgres) auth.UsePostgreSql(); else auth.UseSqlite();
if (!string.IsNullOrEmpty(settings.Auth.SecondaryStorage.Redis)) auth.UseRedis();
foreach (var plugin in settings.Plugins) auth.AddPlugin(plugin);
if (settings.OutboxPath is not null)
    builder.Services.AddSingleton<IAuthMessageSender>(sp => new OutboxMessageSender(settings.OutboxPath, sp.GetRequiredService<TimeProvider>()));
if (settings.Smtp is { } smtp)
    auth.UseMailKit(o =>
    {
        (o.Host, o.Port, o.UserName, o.Password) = (smtp.Host, smtp.Port, smtp.UserName, smtp.Password);
        (o.Security, o.From, o.TimeoutSeconds) = (smtp.Security, smtp.From, smtp.TimeoutSeconds);
    });

builder.Services.AddHealthChecks().AddBetterAuth(); // readiness: the database, and Redis when configured
builder.AddOtlpExport(); // when OTEL_EXPORTER_OTLP_ENDPOINT is set

var app = builder.Build();
if (AdminCommands.Handles(args)) return await AdminCommands.RunAsync(app.Services, args);

if (args.Contains("migrate") && args.Contains("--script"))
{
    // An idempotent SQL script of what `migrate` would do here, for review; nothing is changed.
    Console.Write(await app.Services.ScriptBetterAuthMigrationAsync());
    return 0;
}
if (args.Contains("migrate"))
{
    var report = await app.Services.MigrateBetterAuthAsync(dryRun: args.Contains("--dry-run"));
    Console.WriteLine(report.ToString());
    foreach (var sql in args.Contains("--dry-run") ? report.Sql : []) Console.WriteLine(sql + ";");
    return 0;
}

app.UseRedactedRequestLog();
app.UseOperationLog(settings.OperationLogDirectory); // opt-in: which operations were served, for e2e coverage
app.MapGet("/health", () => "ok");
app.MapBetterAuthHealthChecks(); // /health/live and /health/ready
app.MapBetterAuth(settings.Auth.BasePath);
app.MapHostedPages(); // sign-in pages and the admin console (Pages:Enabled=false turns them off)
var otlpExport = ServerTelemetry.Enabled(app.Configuration) ? "on" : "off";
app.Lifetime.ApplicationStarted.Register(() => ServerLog.ServerStarted(app.Logger, app.Urls, settings.Auth.BasePath,
    settings.DatabaseDescription, otlpExport));
await app.RunAsync();
return 0;

/// <summary>Lets the test host (WebApplicationFactory) find this entry point.</summary>
public partial class Program;
