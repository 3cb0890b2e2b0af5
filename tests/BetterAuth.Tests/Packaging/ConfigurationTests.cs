using System.Globalization;
using BetterAuth.Core;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BetterAuth.Tests.Packaging;

/// <summary>Options the ASP.NET Core way: bound from configuration, IOptions underneath, checked at start.</summary>
public sealed class ConfigurationTests
{
    private static Dictionary<string, string?> Valid(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BetterAuth:BaseUrl"] = AuthTestHost.Origin,
            ["BetterAuth:Secret"] = AuthTestHost.Secret,
            ["BetterAuth:Database:MigrateOnStart"] = "true",
            ["BetterAuth:RateLimit:Enabled"] = "false",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Options_AndPluginOptions_BindFromTheConfigurationSection()
    {
        await using var host = PackageHost.Build(Valid(("BetterAuth:AppName", "Configured"), ("BetterAuth:Session:ExpiresIn", "3600"),
                ("BetterAuth:Plugins:Admin:DefaultRole", "member"), ("BetterAuth:Plugins:TwoFactor:Issuer", "Acme")),
            (b, db) => b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth"), o => o.Database.ConnectionString = db)
                .UseSqlite().AddAdmin().AddTwoFactor(o => o.SkipVerificationOnEnable = true));
        host.App.MapBetterAuth();
        await host.App.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<BetterAuthOptions>>().Value;
        Assert.Equal(("Configured", 3600), (options.AppName, options.Session.ExpiresIn));
        Assert.Same(options, host.Services.GetRequiredService<AuthRuntime>().Options);
        Assert.Equal("member", host.Services.GetRequiredService<IOptions<AdminOptions>>().Value.DefaultRole);
        var twoFactor = host.Services.GetRequiredService<IOptions<TwoFactorOptions>>().Value;
        Assert.Equal(("Acme", true), (twoFactor.Issuer, twoFactor.SkipVerificationOnEnable));
        Assert.Equal(["admin", "two-factor"], options.Plugins.Select(p => p.Id).Order());

        // The bound values are the ones in force: a new user gets the configured role, a session the configured life.
        var client = host.Client();
        await client.SignUpAsync("configured@example.com");
        var answer = (await client.GetAsync("/get-session")).Json!;
        Assert.Equal("member", answer["user"]!["role"]!.GetValue<string>());
        var session = answer["session"]!;
        var lifetime = DateTime.Parse(session["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture) - DateTime.Parse(session["createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(1), lifetime);
    }

    [Fact]
    public async Task Start_RefusesBadSettings_NamingEachOne()
    {
        await using var host = PackageHost.Build(Valid(("BetterAuth:BaseUrl", "not a url"), ("BetterAuth:Session:ExpiresIn", "0"),
                ("BetterAuth:RateLimit:Window", "-1"), ("BetterAuth:EmailAndPassword:MaxPasswordLength", "4"),
                ("BetterAuth:SocialProviders:github:ClientSecret", "s")),
            (b, db) => b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")).UseSqlite(db));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.App.StartAsync());
        Assert.Contains("BetterAuth:BaseUrl 'not a url' is not an absolute http(s) URL.", error.Failures);
        Assert.Contains("BetterAuth:Session:ExpiresIn must be a positive number of seconds (is 0).", error.Failures);
        Assert.Contains("BetterAuth:RateLimit:Window must be a positive number of seconds (is -1).", error.Failures);
        Assert.Contains("BetterAuth:EmailAndPassword:MaxPasswordLength must not be less than MinPasswordLength (4 < 8).", error.Failures);
        Assert.Contains("BetterAuth:SocialProviders:github needs a ClientId.", error.Failures);
    }

    [Fact]
    public async Task Start_InProduction_WithoutSecret_NamesTheSecretSetting()
    {
        await using var host = PackageHost.Build(Valid(("BetterAuth:Secret", null)),
            (b, db) => b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")).UseSqlite(db), environment: "Production");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.App.StartAsync());
        Assert.Contains(error.Failures, f => f.StartsWith("BetterAuth:Secret is not set.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithoutStorage_SaysWhichPackageToAdd()
    {
        await using var host = PackageHost.Build(Valid(), (b, _) => b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.App.StartAsync());
        Assert.Contains(error.Failures, f => f.Contains("UseSqlite() (package BetterAuth.Sqlite)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedisSetting_WithoutTheRedisPackage_IsRefused()
    {
        await using var host = PackageHost.Build(Valid(("BetterAuth:SecondaryStorage:Redis", "redis://127.0.0.1:1")),
            (b, db) => b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")).UseSqlite(db));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.App.StartAsync());
        Assert.Contains(error.Failures, f => f.StartsWith("BetterAuth:SecondaryStorage:Redis is set, but no Redis storage is registered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallbackOptions_AreIOptions_AndOtherConfigureCallsApply()
    {
        await using var host = PackageHost.Build(new(), (b, db) =>
        {
            b.Services.AddBetterAuth(o => { o.Secret = AuthTestHost.Secret; o.Database.ConnectionString = db; o.Plugins.Add(new AdminPlugin()); })
                .UseSqlite();
            b.Services.Configure<BetterAuthOptions>(o => o.AppName = "From elsewhere");
        });
        await host.App.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<BetterAuthOptions>>().Value;
        Assert.Equal("From elsewhere", options.AppName);
        // The callback ran twice (once at registration so the plugin could register services); one admin plugin is in force.
        Assert.Single(options.Plugins);
        Assert.Same(options.Plugins[0], host.Services.GetRequiredService<AuthRuntime>().Options.Plugins[0]);
    }
}
