using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Core;

/// <summary>Shows each thing a plugin can contribute, through a small plugin defined here.</summary>
public sealed class PluginModelTests
{
    private sealed class DemoPlugin : IBetterAuthPlugin, IAuthLifecycle
    {
        public int UsersCreated;
        public string Id => "demo";

        public void Configure(AuthPluginBuilder builder)
        {
            builder.AddUserField(new FieldDefinition("favoriteColor", FieldType.String));
            builder.AddUserField(new FieldDefinition("secretNote", FieldType.String) { Returned = false, Input = false, DefaultValue = "hidden" });
            builder.AddUserField(new FieldDefinition("plan", FieldType.String) { Input = false, DefaultValue = "free" });
            builder.AddSessionField(new FieldDefinition("deviceLabel", FieldType.String));
            builder.AddEndpoint(AuthEndpoint.Get("/demo/whoami", async ctx =>
            {
                var s = await ctx.RequireSessionAsync();
                return AuthResult.Json(new StatusResponse(s.User.Get<string>("plan") == "free"));
            }) with
            { Session = SessionRequirement.Required });
            builder.Before(ctx => ctx.Http.Request.Headers.ContainsKey("X-Block"),
                _ => ValueTask.FromResult<AuthResult?>(AuthResult.Json(new SuccessResponse(false))));
            builder.After(ctx => ctx.Path == "/sign-in/email", (ctx, result) =>
                ValueTask.FromResult(ctx.NewSession?.User.Name == "Intercepted" ? AuthResult.Json(new OkResponse(false)) : result));
            builder.AddLifecycle(this);
            builder.AddRateLimit(path => path.StartsWith("/demo", StringComparison.Ordinal), new RateLimitRule(10, 1));
        }

        public ValueTask OnUserCreatedAsync(AuthStoreContext ctx, User user) { Interlocked.Increment(ref UsersCreated); return default; }

        public ValueTask OnSessionCreatingAsync(AuthStoreContext ctx, Session session)
        {
            session["deviceLabel"] = "laptop";
            return ctx.Request?.Http.Request.Headers.ContainsKey("X-Refuse") == true ? throw new AuthError(403, "You are banned", "BANNED_USER") : default;
        }
    }

    [Fact]
    public async Task PluginFields_AreStoredReturnedAndFiltered()
    {
        var plugin = new DemoPlugin();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(plugin));
        var client = host.Client();
        await client.PostAsync("/sign-up/email", new { email = "p@example.com", password = "password123", name = "P", favoriteColor = "green", plan = "enterprise" });
        var s = await client.GetAsync("/get-session");
        var user = s.Json!["user"]!.AsObject();
        Assert.Equal("green", user["favoriteColor"]!.GetValue<string>());
        Assert.Equal("free", user["plan"]!.GetValue<string>()); // input:false ignores the client's value
        Assert.False(user.ContainsKey("secretNote")); // returned:false never leaves the server
        Assert.Equal("laptop", s.Json!["session"]!["deviceLabel"]!.GetValue<string>());
        Assert.Equal("hidden", await host.WithDbAsync(db => Task.FromResult(db.Users.Select(u => (string)u["secretNote"]!).Single())));
        Assert.Equal(1, plugin.UsersCreated);

        await client.PostAsync("/update-user", new { favoriteColor = "blue" });
        Assert.Equal("blue", (await client.GetAsync("/get-session")).Json!["user"]!["favoriteColor"]!.GetValue<string>());
        Assert.Equal("VALIDATION_ERROR", (await client.PostAsync("/update-user", new { favoriteColor = 7 })).Code);
    }

    [Fact]
    public async Task PluginEndpoint_HooksAndRateRule_Apply()
    {
        await using var host = await AuthTestHost.StartAsync(o => { o.Plugins.Add(new DemoPlugin()); o.RateLimit.Enabled = true; });
        var client = host.Client();
        Assert.Equal(401, (await client.GetAsync("/demo/whoami")).Status);
        await client.SignUpAsync("e@example.com");
        Assert.Equal(429, (await client.GetAsync("/demo/whoami")).Status); // plugin rule: 1 per 10 s

        var blocked = await client.SendAsync(HttpMethod.Get, "/get-session", null, m => m.Headers.Add("X-Block", "1"));
        Assert.Equal("{\"success\":false}", blocked.Text);

        await host.Client().SignUpAsync("i@example.com", name: "Intercepted");
        var intercepted = await host.Client().PostAsync("/sign-in/email", new { email = "i@example.com", password = "password123" });
        Assert.Equal("{\"ok\":false}", intercepted.Text);
    }

    [Fact]
    public async Task LifecycleHook_CanRefuseASession_AndNothingIsLeftBehind()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new DemoPlugin()));
        await host.Client().SignUpAsync("ban@example.com");
        var before = await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count()));
        var r = await host.Client().SendAsync(HttpMethod.Post, "/sign-in/email",
            new StringContent("{\"email\":\"ban@example.com\",\"password\":\"password123\"}", System.Text.Encoding.UTF8, "application/json"),
            m => m.Headers.Add("X-Refuse", "1"));
        Assert.Equal(403, r.Status);
        Assert.Equal("BANNED_USER", r.Code);
        Assert.Empty(r.SetCookies);
        Assert.Equal(before, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
    }
}
