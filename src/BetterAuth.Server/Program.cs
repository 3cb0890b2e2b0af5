using BetterAuth;
using BetterAuth.Core.Messaging;
using BetterAuth.Server;
using BetterAuth.Server.Pages;

// The standalone Better Auth server: `dotnet run` serves the API on 127.0.0.1:3000 over a SQLite file;
// `dotnet run -- migrate [--dry-run]` creates or extends the tables and exits.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = ServerSettings.Read(builder.Configuration, builder.Environment);
builder.Logging.CapPathLoggingCategories(); // request URLs carry reset and verification tokens: see RequestLogging

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(settings.BindAddress, settings.Port);
    kestrel.Limits.MaxRequestBodySize = settings.Auth.MaxBodyBytes + 1;
    kestrel.AddServerHeader = false;
});

builder.Services.AddBetterAuth(settings.Auth);
if (settings.OutboxPath is not null)
    builder.Services.AddSingleton<IAuthMessageSender>(sp => new OutboxMessageSender(settings.OutboxPath, sp.GetRequiredService<TimeProvider>()));
if (settings.Smtp is not null)
{
    builder.Services.AddSingleton(settings.Smtp);
    builder.Services.AddSingleton<IAuthMailTemplates>(new DefaultMailTemplates(settings.Auth));
    builder.Services.AddSingleton<IAuthMessageSender, SmtpMessageSender>();
}

var app = builder.Build();
if (AdminCommands.Handles(args)) return await AdminCommands.RunAsync(app.Services, args);

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
app.MapBetterAuth(settings.Auth.BasePath);
app.MapHostedPages(); // sign-in pages and the admin console (Pages:Enabled=false turns them off)
app.Logger.LogInformation("Better Auth server on http://{Address}:{Port}{BasePath} (database {Database})",
    settings.BindAddress, settings.Port, settings.Auth.BasePath, settings.DatabaseDescription);
await app.RunAsync();
return 0;

/// <summary>Lets the test host (WebApplicationFactory) find this entry point.</summary>
public partial class Program;
