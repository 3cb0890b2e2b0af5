using BetterAuth.Core;
using BetterAuth.Core.Messaging;
using Microsoft.Extensions.FileProviders;

namespace BetterAuth.Server.Pages;

/// <summary>
/// The standalone server's own pages: sign-in, sign-up, two-factor, password reset, email verification, invitation,
/// passkey management and the admin console. They are one front-end bundle (built from web/ into wwwroot) that talks to the auth API on
/// this origin like any client; each address gets the same HTML with that page's configuration injected.
/// <c>Pages:Enabled=false</c> turns them off; <c>Pages:Root</c> points at another build.
/// </summary>
public static class HostedPages
{
    public const string AssetsPath = "/ui/assets";

    /// <summary>Address → page name. Mail links point at some of these (reset and verification callbacks, invitations).</summary>
    public static readonly IReadOnlyList<(string Path, string Page)> Routes =
    [
        ("/sign-in", "sign-in"),
        ("/sign-up", "sign-up"),
        ("/two-factor", "two-factor"),
        ("/forgot-password", "forgot-password"),
        ("/reset-password", "reset-password"),
        ("/verify-email", "verify-email"),
        ("/passkeys", "passkeys"),
        ("/console", "console"),
    ];

    public static WebApplication MapHostedPages(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Pages:Enabled", true)) return app;
        var root = app.Configuration["Pages:Root"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var shell = new PageShell(Path.Combine(root, "index.html"));
        var configs = new PageConfigFactory(app.Services.GetRequiredService<AuthRuntime>(), app.Services.GetServices<IAuthMessageSender>());

        var assets = Path.Combine(root, "assets");
        if (Directory.Exists(assets))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(assets),
                RequestPath = AssetsPath,
                // File names carry a content hash, so a file never changes under its name.
                OnPrepareResponse = file =>
                {
                    file.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                    file.Context.Response.Headers.XContentTypeOptions = "nosniff";
                },
            });
        }
        else
        {
            ServerLog.HostedPagesNotBuilt(app.Logger, root);
        }

        foreach (var (path, page) in Routes)
            app.MapGet(path, (HttpContext http) => shell.WriteAsync(http, configs.Create(http, page)));
        app.MapGet("/accept-invitation/{id}", (HttpContext http, string id) => shell.WriteAsync(http, configs.Create(http, "accept-invitation", id)));
        // The console routes its views in the browser; every address under it is the same page.
        app.MapGet("/console/{**view}", (HttpContext http) => shell.WriteAsync(http, configs.Create(http, "console")));
        ConsoleApi.Map(app);
        return app;
    }
}
