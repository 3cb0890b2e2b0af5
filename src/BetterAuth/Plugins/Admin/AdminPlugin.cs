using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// Better Auth's admin plugin (plugins/admin at 1.2.12): user management, roles and permissions, bans, and
/// impersonation. Adds user.role/banned/banReason/banExpires and session.impersonatedBy.
/// </summary>
public sealed class AdminPlugin : IBetterAuthPlugin
{
    /// <summary>The plugin with default options.</summary>
    public AdminPlugin() : this(new AdminOptions()) { }

    /// <summary>The plugin with the given options.</summary>
    public AdminPlugin(AdminOptions options)
    {
        Options = options;
        Access = new AdminAccess(options);
    }

    /// <summary>Better Auth's plugin id, <c>admin</c>.</summary>
    public string Id => "admin";
    /// <summary>The plugin's options.</summary>
    public AdminOptions Options { get; }
    /// <summary>The permission rules in force (default or configured roles, adminUserIds).</summary>
    internal AdminAccess Access { get; }

    /// <summary>Registers the plugin's endpoints, user and session columns and hooks.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        foreach (var field in AdminFields.User) builder.AddUserField(field);
        foreach (var field in AdminFields.Session) builder.AddSessionField(field);
        foreach (var endpoint in new AdminUserEndpoints(Options, Access).All()) builder.AddEndpoint(endpoint);
        foreach (var endpoint in new AdminSessionEndpoints(Options, Access).All()) builder.AddEndpoint(endpoint);
        builder.AddEndpoint(new AdminPermissionEndpoint(Access).Endpoint);
        builder.AddLifecycle(new BanEnforcement(Options));
        builder.After(ctx => ctx.Path == "/list-sessions", HideImpersonationSessions);
        builder.AddJsonTypes(AdminJsonContext.Default);
    }

    /// <summary>A user's session list never shows the sessions admins opened as them.</summary>
    private static ValueTask<AuthResult> HideImpersonationSessions(AuthContext ctx, AuthResult result)
    {
        if (result.Body is not List<Session> sessions) return ValueTask.FromResult(result);
        var visible = sessions.Where(s => string.IsNullOrEmpty(s.Get<string>(AdminFields.ImpersonatedBy))).ToList();
        return ValueTask.FromResult(AuthResult.Json(visible, result.Status));
    }
}
