using BetterAuth.Plugins.Organization;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.Organization.OrganizationTestKit;

namespace BetterAuth.Tests.Plugins.Organization;

public sealed class OrganizationCrudTests
{
    [Fact]
    public async Task Create_ReturnsRowWithParsedMetadataAndOwnerMember_AndActivatesIt()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "creator");
        var r = await owner.Client.PostAsync("/organization/create",
            new { name = "Acme", slug = "acme", logo = "https://logo", metadata = new { plan = "pro", seats = 3 } });
        Assert.Equal(200, r.Status);
        var org = r.Json!;
        Assert.Equal(["name", "slug", "logo", "createdAt", "metadata", "id", "members"], Keys(org));
        Assert.Equal("pro", org["metadata"]!["plan"]!.GetValue<string>());
        var member = org["members"]!.AsArray().Single()!;
        Assert.Equal(["organizationId", "userId", "role", "createdAt", "id"], Keys(member));
        Assert.Equal("owner", member["role"]!.GetValue<string>());
        Assert.Equal(owner.UserId, member["userId"]!.GetValue<string>());
        Assert.Equal(Id(org), await ActiveOrganizationAsync(owner));
        // Stored as JSON text, listed raw.
        var list = await owner.Client.GetAsync("/organization/list");
        Assert.Equal("{\"plan\":\"pro\",\"seats\":3}", list.Json![0]!["metadata"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WithoutMetadata_OmitsIt_AndKeepCurrentActiveOrganizationKeepsIt()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "keeper");
        var first = await CreateOrganizationAsync(owner, "first");
        var second = await CreateOrganizationAsync(owner, "second", new { name = "Second", slug = "second", keepCurrentActiveOrganization = true });
        Assert.Equal(["name", "slug", "logo", "createdAt", "id", "members"], Keys(second));
        Assert.Null(second["logo"]);
        Assert.Equal(Id(first), await ActiveOrganizationAsync(owner));
        Assert.Equal(2, (await owner.Client.GetAsync("/organization/list")).Json!.AsArray().Count);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\":\"A\"}")]
    [InlineData("{\"name\":\"A\",\"slug\":5}")]
    [InlineData("{\"name\":\"A\",\"slug\":\"a\",\"logo\":null}")]
    [InlineData("{\"name\":\"A\",\"slug\":\"a\",\"metadata\":\"text\"}")]
    [InlineData("{\"name\":\"A\",\"slug\":\"a\",\"keepCurrentActiveOrganization\":\"true\"}")]
    public async Task Create_InvalidBody_IsValidationError(string body)
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "invalid");
        var r = await owner.Client.PostRawAsync("/organization/create", body);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
    }

    [Fact]
    public async Task Create_WithoutSession_Is401WithEmptyBody()
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/organization/create", new { name = "A", slug = "a" });
        Assert.Equal(401, r.Status);
        Assert.Equal("", r.Text);
    }

    [Fact]
    public async Task Create_TakenSlug_IsOrganizationAlreadyExists()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "dup");
        await CreateOrganizationAsync(owner, "taken");
        var r = await owner.Client.PostAsync("/organization/create", new { name = "Again", slug = "taken" });
        Assert.Equal(400, r.Status);
        Assert.Equal("ORGANIZATION_ALREADY_EXISTS", r.Code);
    }

    [Fact]
    public async Task Create_RefusedWhenDisallowed_OrOverTheOrganizationLimit()
    {
        await using (var host = await StartAsync(o => o.AllowUserToCreateOrganization = false))
        {
            var user = await SignUpAsync(host, "nocreate");
            var r = await user.Client.PostAsync("/organization/create", new { name = "A", slug = "a" });
            Assert.Equal(403, r.Status);
            Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_ORGANIZATION", r.Code);
        }
        await using (var host = await StartAsync(o => o.OrganizationLimit = 1))
        {
            var user = await SignUpAsync(host, "limited");
            await CreateOrganizationAsync(user, "one");
            var r = await user.Client.PostAsync("/organization/create", new { name = "Two", slug = "two" });
            Assert.Equal(403, r.Status);
            Assert.Equal("YOU_HAVE_REACHED_THE_MAXIMUM_NUMBER_OF_ORGANIZATIONS", r.Code);
        }
    }

    [Fact]
    public async Task CheckSlug_FreeIsStatusTrue_TakenIs400_NoSessionIs401()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "slugger");
        await CreateOrganizationAsync(owner, "busy");
        Assert.Equal("{\"status\":true}", (await owner.Client.PostAsync("/organization/check-slug", new { slug = "free" })).Text);
        var taken = await owner.Client.PostAsync("/organization/check-slug", new { slug = "busy" });
        Assert.Equal(400, taken.Status);
        Assert.Equal("SLUG_IS_TAKEN", taken.Code);
        Assert.Equal(401, (await host.Client().PostAsync("/organization/check-slug", new { slug = "free" })).Status);
    }

    [Theory]
    [InlineData("owner", 200, null)]
    [InlineData("admin", 200, null)]
    [InlineData("member", 403, "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION")]
    [InlineData("outsider", 400, "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION")]
    public async Task Update_ByRole(string role, int status, string? code)
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var r = await cast[role].Client.PostAsync("/organization/update",
            new { organizationId = cast.OrganizationId, data = new { name = "Renamed", metadata = new { tier = 2 } } });
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Code);
        if (status != 200) return;
        Assert.Equal(["name", "slug", "logo", "createdAt", "metadata", "id"], Keys(r.Json));
        Assert.Equal("Renamed", r.Json!["name"]!.GetValue<string>());
        Assert.Equal(2, r.Json!["metadata"]!["tier"]!.GetValue<int>());
    }

    [Fact]
    public async Task Update_SlugOfAnotherOrganization_IsAlreadyExists_OwnSlugAndEmptyDataAreFine()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        await CreateOrganizationAsync(cast.Outsider, "other");
        var taken = await cast.Owner.Client.PostAsync("/organization/update", new { data = new { slug = "other" } });
        Assert.Equal(400, taken.Status);
        Assert.Equal("ORGANIZATION_ALREADY_EXISTS", taken.Code);
        var same = await cast.Owner.Client.PostAsync("/organization/update", new { data = new { slug = cast.Slug, logo = "l" } });
        Assert.Equal(200, same.Status);
        Assert.Equal("l", same.Json!["logo"]!.GetValue<string>());
        var empty = await cast.Owner.Client.PostAsync("/organization/update", new { data = new { } });
        Assert.Equal(200, empty.Status);
        Assert.Equal(cast.Slug, empty.Json!["slug"]!.GetValue<string>());
        Assert.False(empty.Json!.AsObject().ContainsKey("metadata"));
    }

    [Fact]
    public async Task Update_WithoutSessionOrOrganization_AnswersLikeBetterAuth()
    {
        await using var host = await StartAsync();
        var anonymous = await host.Client().PostAsync("/organization/update", new { data = new { name = "x" } });
        Assert.Equal((401, "USER_NOT_FOUND"), (anonymous.Status, anonymous.Code));
        var loner = await SignUpAsync(host, "loner");
        var none = await loner.Client.PostAsync("/organization/update", new { data = new { name = "x" } });
        Assert.Equal((400, "ORGANIZATION_NOT_FOUND"), (none.Status, none.Code));
        Assert.Equal("VALIDATION_ERROR", (await loner.Client.PostAsync("/organization/update", new { })).Code);
        Assert.Equal("VALIDATION_ERROR", (await loner.Client.PostRawAsync("/organization/update", "{\"data\":{\"logo\":null}}")).Code);
    }

    [Theory]
    [InlineData("admin", 403, "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION")]
    [InlineData("member", 403, "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION")]
    [InlineData("outsider", 200, null)]
    public async Task Delete_ByNonOwners_IsRefused(string role, int status, string? code)
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var r = await cast[role].Client.PostAsync("/organization/delete", new { organizationId = cast.OrganizationId });
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Code);
        if (status == 200) Assert.Equal("null", r.Text); // Better Auth answers a non-member 200 null
        Assert.Equal(1, await host.WithDbAsync(db => db.Set<OrganizationRow>().CountAsync()));
    }

    [Fact]
    public async Task Delete_ByOwner_RemovesOrganizationMembersAndInvitations_AndClearsActive()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        await cast.Owner.Client.PostAsync("/organization/invite-member", new { email = "pending@org.test", role = "member" });
        var r = await cast.Owner.Client.PostAsync("/organization/delete", new { organizationId = cast.OrganizationId });
        Assert.Equal(200, r.Status);
        Assert.Equal(["name", "slug", "logo", "createdAt", "metadata", "id"], Keys(r.Json));
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<OrganizationRow>().CountAsync()));
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync()));
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<InvitationRow>().CountAsync()));
        Assert.Null(await ActiveOrganizationAsync(cast.Owner));
        Assert.Equal("[]", (await cast.Admin.Client.GetAsync("/organization/list")).Text);
    }

    [Fact]
    public async Task Delete_WithoutSessionOrUnknownId_Is200Null_MissingIdIsValidationError()
    {
        await using var host = await StartAsync();
        var owner = await SignUpAsync(host, "deleter");
        Assert.Equal("null", (await host.Client().PostAsync("/organization/delete", new { organizationId = "x" })).Text);
        Assert.Equal("null", (await owner.Client.PostAsync("/organization/delete", new { organizationId = "nope" })).Text);
        Assert.Equal("VALIDATION_ERROR", (await owner.Client.PostAsync("/organization/delete", new { })).Code);
    }

    [Fact]
    public async Task GetFull_ByActiveIdAndSlug_ListsMembersWithUsersAndInvitations()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var byActive = await cast.Member.Client.GetAsync("/organization/get-full-organization");
        Assert.Equal(200, byActive.Status);
        Assert.Equal(["name", "slug", "logo", "createdAt", "metadata", "id", "invitations", "members", "teams"], Keys(byActive.Json));
        Assert.Null(byActive.Json!["teams"]);
        var members = byActive.Json!["members"]!.AsArray();
        Assert.Equal(3, members.Count);
        Assert.Equal(["organizationId", "userId", "role", "createdAt", "id", "user"], Keys(members[0]));
        Assert.Equal(["id", "name", "email", "image"], Keys(members[0]!["user"]));
        Assert.Equal(["admin", "member", "owner"], members.Select(m => m!["role"]!.GetValue<string>()).Order());
        Assert.Equal(2, byActive.Json!["invitations"]!.AsArray().Count);
        var bySlug = await cast.Member.Client.GetAsync($"/organization/get-full-organization?organizationSlug={cast.Slug}");
        Assert.Equal(cast.OrganizationId, Id(bySlug.Json!));
    }

    [Fact]
    public async Task GetFull_NoActiveIsNull_NonMemberIs403AndClearsActive()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        Assert.Equal("null", (await cast.Outsider.Client.GetAsync("/organization/get-full-organization")).Text);
        Assert.Equal(401, (await host.Client().GetAsync("/organization/get-full-organization")).Status);
        var denied = await cast.Outsider.Client.GetAsync($"/organization/get-full-organization?organizationId={cast.OrganizationId}");
        Assert.Equal((403, "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION"), (denied.Status, denied.Code));
        // Better Auth clears the caller's active organization on this refusal, even for an unknown id.
        var missing = await cast.Owner.Client.GetAsync("/organization/get-full-organization?organizationId=nope");
        Assert.Equal(403, missing.Status);
        Assert.Null(await ActiveOrganizationAsync(cast.Owner));
    }

    [Fact]
    public async Task SetActive_SwitchesUnsetsAndRefusesNonMembers()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var other = await CreateOrganizationAsync(cast.Outsider, "other");

        var unset = await cast.Admin.Client.PostRawAsync("/organization/set-active", "{\"organizationId\":null}");
        Assert.Equal("null", unset.Text);
        Assert.NotNull(unset.Cookie("better-auth.session_token"));
        Assert.Null(await ActiveOrganizationAsync(cast.Admin));
        var again = await cast.Admin.Client.PostRawAsync("/organization/set-active", "{\"organizationId\":null}");
        Assert.Equal("null", again.Text);
        Assert.Empty(again.SetCookies);
        Assert.Equal("null", (await cast.Admin.Client.PostAsync("/organization/set-active", new { })).Text);

        var bySlug = await cast.Admin.Client.PostAsync("/organization/set-active", new { organizationSlug = cast.Slug });
        Assert.Equal(cast.OrganizationId, Id(bySlug.Json!));
        Assert.Equal(3, bySlug.Json!["members"]!.AsArray().Count);
        Assert.NotNull(bySlug.Cookie("better-auth.session_token"));
        Assert.Equal(cast.OrganizationId, await ActiveOrganizationAsync(cast.Admin));

        var denied = await cast.Admin.Client.PostAsync("/organization/set-active", new { organizationId = Id(other) });
        Assert.Equal((403, "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION"), (denied.Status, denied.Code));
        Assert.Null(await ActiveOrganizationAsync(cast.Admin));
        Assert.Equal("VALIDATION_ERROR", (await cast.Admin.Client.PostRawAsync("/organization/set-active", "{\"organizationSlug\":null}")).Code);
        Assert.Equal(401, (await host.Client().PostAsync("/organization/set-active", new { })).Status);
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersOrganizations()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        await CreateOrganizationAsync(cast.Outsider, "solo");
        var mine = (await cast.Member.Client.GetAsync("/organization/list")).Json!.AsArray();
        Assert.Equal([cast.Slug], mine.Select(o => o!["slug"]!.GetValue<string>()));
        Assert.Equal(["name", "slug", "logo", "createdAt", "metadata", "id"], Keys(mine[0]));
        Assert.Equal(401, (await host.Client().GetAsync("/organization/list")).Status);
    }
}
