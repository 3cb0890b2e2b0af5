using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Organization;

/// <summary>
/// Better Auth's organization plugin (plugins/organization at 1.2.12, teams off): organizations with members holding
/// roles (owner/admin/member by default, or the host's), invitations by email, an active organization per session
/// (<c>session.activeOrganizationId</c>), and a permission check.
/// </summary>
public sealed class OrganizationPlugin(OrganizationOptions? options = null) : IBetterAuthPlugin, IAuthLifecycle
{
    private readonly OrganizationOptions _options = options ?? new OrganizationOptions();

    /// <summary>Better Auth's plugin id, <c>organization</c>.</summary>
    public string Id => "organization";

    /// <summary>The plugin's options.</summary>
    public OrganizationOptions Options => _options;

    /// <summary>Registers the plugin's endpoints, tables, session column and hooks.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        var access = new OrganizationAccess(_options);
        builder.AddSessionField(new FieldDefinition(OrganizationStore.ActiveOrganizationField, FieldType.String) { Input = false });
        builder.AddModel(OrganizationModel.Configure);
        foreach (var endpoint in new OrganizationEndpoints(_options, access).All()) builder.AddEndpoint(endpoint);
        foreach (var endpoint in new InvitationEndpoints(_options, access).All()) builder.AddEndpoint(endpoint);
        foreach (var endpoint in new MemberEndpoints(access).All()) builder.AddEndpoint(endpoint);
        builder.AddJsonTypes(OrganizationJsonContext.Default);
        builder.AddLifecycle(this);
    }

    /// <summary>
    /// A deleted user leaves no memberships and no invitations they sent behind: Better Auth leaves them dangling (and
    /// then fails to load the organization), and databases it created have no cascading foreign keys.
    /// </summary>
    public async ValueTask OnUserDeletingAsync(AuthStoreContext ctx, User user)
    {
        await ctx.Db.Set<MemberRow>().Where(m => m.UserId == user.Id).ExecuteDeleteAsync();
        await ctx.Db.Set<InvitationRow>().Where(i => i.InviterId == user.Id).ExecuteDeleteAsync();
    }
}
