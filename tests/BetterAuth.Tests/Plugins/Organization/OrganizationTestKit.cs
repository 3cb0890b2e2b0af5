using System.Text.Json.Nodes;
using BetterAuth.Plugins.Organization;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.Organization;

/// <summary>A signed-in browser of one test user.</summary>
public sealed record OrgUser(TestClient Client, string Email, string UserId);

/// <summary>
/// One organization with a user in each position the routes distinguish: its owner (creator), an admin and a member
/// (both joined by accepting invitations), and an outsider who belongs to no organization.
/// </summary>
public sealed record OrgCast(string OrganizationId, string Slug, OrgUser Owner, OrgUser Admin, OrgUser Member, OrgUser Outsider)
{
    public OrgUser this[string role] => role switch
    {
        "owner" => Owner,
        "admin" => Admin,
        "member" => Member,
        "outsider" => Outsider,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}

internal static class OrganizationTestKit
{
    public static Task<AuthTestHost> StartAsync(Action<OrganizationOptions>? configure = null)
    {
        var options = new OrganizationOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => o.Plugins.Add(new OrganizationPlugin(options)));
    }

    public static async Task<OrgUser> SignUpAsync(AuthTestHost host, string label)
    {
        var client = host.Client();
        var email = $"{label}@org.test";
        var user = await client.SignUpAsync(email, name: label);
        return new OrgUser(client, email, user["user"]!["id"]!.GetValue<string>());
    }

    public static async Task<JsonNode> CreateOrganizationAsync(OrgUser user, string slug, object? extra = null)
    {
        var r = await user.Client.PostAsync("/organization/create", extra ?? new { name = "Org " + slug, slug });
        Assert.Equal(200, r.Status);
        return r.Json!;
    }

    /// <summary>Invites <paramref name="invitee"/> with <paramref name="role"/> and has them accept; returns the new member row.</summary>
    public static async Task<JsonNode> JoinAsync(OrgUser inviter, OrgUser invitee, string organizationId, object role)
    {
        var invite = await inviter.Client.PostAsync("/organization/invite-member", new { email = invitee.Email, role, organizationId });
        Assert.Equal(200, invite.Status);
        var accept = await invitee.Client.PostAsync("/organization/accept-invitation", new { invitationId = Id(invite.Json!) });
        Assert.Equal(200, accept.Status);
        return accept.Json!["member"]!;
    }

    public static async Task<OrgCast> CastAsync(AuthTestHost host, string prefix = "")
    {
        var owner = await SignUpAsync(host, prefix + "owner");
        var admin = await SignUpAsync(host, prefix + "admin");
        var member = await SignUpAsync(host, prefix + "member");
        var outsider = await SignUpAsync(host, prefix + "outsider");
        var slug = prefix + "acme";
        var org = await CreateOrganizationAsync(owner, slug);
        var organizationId = Id(org);
        await JoinAsync(owner, admin, organizationId, "admin");
        await JoinAsync(owner, member, organizationId, "member");
        return new OrgCast(organizationId, slug, owner, admin, member, outsider);
    }

    /// <summary>The member id of a user in the organization, read through the owner's full view.</summary>
    public static async Task<string> MemberIdAsync(OrgCast cast, OrgUser user)
    {
        var full = await cast.Owner.Client.GetAsync($"/organization/get-full-organization?organizationId={cast.OrganizationId}");
        return full.Json!["members"]!.AsArray().Single(m => m!["userId"]!.GetValue<string>() == user.UserId)!["id"]!.GetValue<string>();
    }

    public static async Task<string?> ActiveOrganizationAsync(OrgUser user) =>
        (await user.Client.GetAsync("/get-session")).Json!["session"]!["activeOrganizationId"]?.GetValue<string>();

    public static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    public static string[] Keys(JsonNode? node) => node!.AsObject().Select(p => p.Key).ToArray();
}
