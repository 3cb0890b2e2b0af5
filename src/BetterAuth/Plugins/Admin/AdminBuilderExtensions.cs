using BetterAuth.Plugins.Admin;

namespace BetterAuth;

/// <summary>Enables the Admin plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class AdminBuilderExtensions
{
    /// <summary>
    /// Better Auth's admin plugin: roles, bans, impersonation, user management. Options bind from <c>Plugins:Admin</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:Admin</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddAdmin(this BetterAuthBuilder builder, Action<AdminOptions>? configure = null) =>
        builder.AddPlugin<AdminOptions>("Admin", options => new AdminPlugin(options), configure);
}
