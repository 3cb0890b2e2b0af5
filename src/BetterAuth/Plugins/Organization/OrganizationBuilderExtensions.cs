using BetterAuth.Plugins.Organization;

namespace BetterAuth;

/// <summary>Enables the Organization plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class OrganizationBuilderExtensions
{
    /// <summary>
    /// Better Auth's organization plugin: organizations, members, roles and invitations. Options bind from <c>Plugins:Organization</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:Organization</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddOrganization(this BetterAuthBuilder builder, Action<OrganizationOptions>? configure = null) =>
        builder.AddPlugin<OrganizationOptions>("Organization", options => new OrganizationPlugin(options), configure);
}
