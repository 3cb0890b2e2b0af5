using BetterAuth.Core.Messaging;
using BetterAuth.Plugins.MagicLink;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.MagicLink;

/// <summary>Starts a test host with the magic-link plugin and offers the steps most tests share.</summary>
internal static class MagicLinkTestHost
{
    public static Task<AuthTestHost> StartAsync(Action<MagicLinkOptions>? configure = null, Action<BetterAuthOptions>? auth = null, bool withSender = true)
    {
        var options = new MagicLinkOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => { o.Plugins.Add(new MagicLinkPlugin(options)); auth?.Invoke(o); }, withSender: withSender);
    }

    /// <summary>Asks for a link for <paramref name="email"/> and returns the mailed message.</summary>
    public static async Task<AuthMessage> SendLinkAsync(this AuthTestHost host, string email, string? callbackURL = null, string? name = null)
    {
        var r = await host.Client().PostAsync("/sign-in/magic-link", new { email, name, callbackURL });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"status\":true}", r.Text);
        lock (host.Outbox.Messages) return host.Outbox.Messages.Last(m => m.Kind == "magic-link" && m.To == email);
    }

    /// <summary>The link's path under the API (what a mail client opens), e.g. <c>/magic-link/verify?token=…&amp;callbackURL=%2F</c>.</summary>
    public static string PathOf(AuthMessage link) => link.Url![(AuthTestHost.Origin + TestClient.Api).Length..];
}
