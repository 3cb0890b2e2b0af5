// The official client with organizationClient (better-auth 1.2.12) against our server: organizations, the
// active organization, invitations by email (read from the outbox), roles and permissions, leaving and deleting.
// E2E_CLIENT_TARGET=reference runs the same suite against the reference; the tests marked "deliberate difference"
// then check the reference's own (defective) behaviour instead.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createAuthClient } from "better-auth/client";
import { organizationClient } from "better-auth/client/plugins";
import { startOurs, startReference } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const PASSWORD = "password1234";
const onReference = process.env.E2E_CLIENT_TARGET === "reference";

let server;
let counter = 0;

before(async () => {
  server = onReference ? await startReference() : await startOurs();
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

/** A unique suffix per call, so tests never collide on the shared database. */
function unique() {
  counter += 1;
  return `${counter}-${Date.now().toString(36)}`;
}

/** A new browser with a signed-up user: its own cookie jar and a client with organizationClient. */
async function signedUp(label) {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({
    baseURL: server.baseURL,
    plugins: [organizationClient()],
    fetchOptions: { customFetchImpl: jar.fetch },
  });
  const email = `${label}-${unique()}@organization.test`;
  const { data, error } = await client.signUp.email({ email, password: PASSWORD, name: label });
  assert.equal(error, null, `sign-up failed: ${JSON.stringify(error)}`);
  return { jar, client, email, user: data.user };
}

async function activeOrganizationId(browser) {
  const { data } = await browser.client.getSession();
  return data.session.activeOrganizationId;
}

/** Invites a user with a role through the client, then has them accept the emailed invitation. */
async function join(inviter, invitee, organizationId, role) {
  const { data: invitation, error } = await inviter.client.organization.inviteMember({ email: invitee.email, role, organizationId });
  assert.equal(error, null, `invite failed: ${JSON.stringify(error)}`);
  const mail = server.lastMessage("organization-invitation", invitee.email);
  assert.equal(mail.token, invitation.id);
  const accepted = await invitee.client.organization.acceptInvitation({ invitationId: mail.token });
  assert.equal(accepted.error, null, `accept failed: ${JSON.stringify(accepted.error)}`);
  return accepted.data.member;
}

/** An organization with an owner, an admin and a member. */
async function team(prefix) {
  const owner = await signedUp(`${prefix}-owner`);
  const admin = await signedUp(`${prefix}-admin`);
  const member = await signedUp(`${prefix}-member`);
  const slug = `${prefix}-${unique()}`;
  const { data: org, error } = await owner.client.organization.create({ name: `Team ${prefix}`, slug });
  assert.equal(error, null);
  await join(owner, admin, org.id, "admin");
  await join(owner, member, org.id, "member");
  return { org, slug, owner, admin, member };
}

describe("organization plugin with the official client", () => {
  test("create an organization: the creator is its owner and it becomes active", async () => {
    const owner = await signedUp("creator");
    const slug = `acme-${unique()}`;
    const { data, error } = await owner.client.organization.create({ name: "Acme", slug, metadata: { plan: "pro" } });
    assert.equal(error, null);
    assert.equal(data.slug, slug);
    assert.deepEqual(data.metadata, { plan: "pro" });
    assert.equal(data.members.length, 1);
    assert.equal(data.members[0].role, "owner");
    assert.equal(data.members[0].userId, owner.user.id);
    assert.equal(await activeOrganizationId(owner), data.id);

    const taken = await owner.client.organization.checkSlug({ slug });
    assert.equal(taken.error.status, 400);
    assert.equal(taken.error.code, "SLUG_IS_TAKEN");
    const free = await owner.client.organization.checkSlug({ slug: `${slug}-free` });
    assert.deepEqual(free.data, { status: true });
    const again = await owner.client.organization.create({ name: "Again", slug });
    assert.equal(again.error.code, "ORGANIZATION_ALREADY_EXISTS");

    const { data: list } = await owner.client.organization.list();
    assert.deepEqual(list.map((o) => o.id), [data.id]);
    assert.equal(list[0].metadata, JSON.stringify({ plan: "pro" }));
  });

  test("invite by email, accept, and see the full organization", async () => {
    const { org, owner, admin, member } = await team("full");
    const { data: full, error } = await member.client.organization.getFullOrganization();
    assert.equal(error, null);
    assert.equal(full.id, org.id);
    assert.deepEqual(full.members.map((m) => m.role).sort(), ["admin", "member", "owner"]);
    const adminRow = full.members.find((m) => m.userId === admin.user.id);
    assert.deepEqual(adminRow.user, { id: admin.user.id, name: admin.user.name, email: admin.email, image: null });
    assert.deepEqual(full.invitations.map((i) => i.status), ["accepted", "accepted"]);
    assert.equal(full.teams, null);
    assert.equal(await activeOrganizationId(member), org.id);

    const mail = server.lastMessage("organization-invitation", member.email);
    assert.equal(mail.url, `${server.baseURL}/accept-invitation/${mail.token}`);
    assert.equal(mail.organizationId, org.id);
    assert.equal(mail.role, "member");

    const { data: active } = await member.client.organization.getActiveMember();
    assert.equal(active.role, "member");
    assert.equal(active.user.email, member.email);
    const { data: invitations } = await owner.client.organization.listInvitations();
    assert.equal(invitations.length, 2);
  });

  test("an invitation is for its recipient only, readable once pending, and rejected once", async () => {
    const { owner } = await team("reject");
    const guest = await signedUp("guest");
    const stranger = await signedUp("stranger");
    const { data: invitation } = await owner.client.organization.inviteMember({ email: guest.email, role: "member" });

    const { data: details } = await guest.client.organization.getInvitation({ query: { id: invitation.id } });
    assert.equal(details.inviterEmail, owner.email);
    assert.equal(details.organizationName, "Team reject");
    const wrong = await stranger.client.organization.acceptInvitation({ invitationId: invitation.id });
    assert.equal(wrong.error.status, 403);
    assert.equal(wrong.error.code, "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION");

    const { data: rejected, error } = await guest.client.organization.rejectInvitation({ invitationId: invitation.id });
    assert.equal(error, null);
    assert.equal(rejected.invitation.status, "rejected");
    assert.equal(rejected.member, null);
    const late = await guest.client.organization.acceptInvitation({ invitationId: invitation.id });
    assert.equal(late.error.code, "INVITATION_NOT_FOUND");
  });

  test("roles decide who may invite, cancel, change roles and remove members", async () => {
    const { org, owner, admin, member } = await team("roles");
    const byMember = await member.client.organization.inviteMember({ email: `x-${unique()}@organization.test`, role: "member" });
    assert.equal(byMember.error.status, 403);
    const ownerByAdmin = await admin.client.organization.inviteMember({ email: `y-${unique()}@organization.test`, role: "owner" });
    assert.equal(ownerByAdmin.error.code, "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE");

    const { data: pending } = await admin.client.organization.inviteMember({ email: `z-${unique()}@organization.test`, role: "member" });
    const memberCancel = await member.client.organization.cancelInvitation({ invitationId: pending.id });
    assert.equal(memberCancel.error.status, 403);
    const { data: canceled } = await admin.client.organization.cancelInvitation({ invitationId: pending.id });
    assert.equal(canceled.status, "canceled");

    const { data: full } = await owner.client.organization.getFullOrganization({ query: { organizationId: org.id } });
    const memberRow = full.members.find((m) => m.userId === member.user.id);
    const ownerRow = full.members.find((m) => m.userId === owner.user.id);
    const promote = await admin.client.organization.updateMemberRole({ memberId: memberRow.id, role: "owner" });
    assert.equal(promote.error.code, "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER");
    const { data: updated } = await admin.client.organization.updateMemberRole({ memberId: memberRow.id, role: ["admin", "member"] });
    assert.equal(updated.role, "admin,member");

    const lastOwner = await admin.client.organization.removeMember({ memberIdOrEmail: ownerRow.id });
    assert.equal(lastOwner.error.code, "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER");
    const { data: removed, error } = await owner.client.organization.removeMember({ memberIdOrEmail: member.email });
    assert.equal(error, null);
    assert.equal(removed.member.userId, member.user.id);
    const gone = await member.client.organization.getFullOrganization({ query: { organizationId: org.id } });
    assert.equal(gone.error.status, 403);
  });

  test("hasPermission follows the default roles; checkRolePermission agrees on the client", async () => {
    const { owner, admin, member } = await team("perm");
    const ask = async (b, permissions) => (await b.client.organization.hasPermission({ permissions })).data.success;
    assert.equal(await ask(owner, { organization: ["delete"] }), true);
    assert.equal(await ask(admin, { organization: ["delete"] }), false);
    assert.equal(await ask(admin, { member: ["create", "update", "delete"], invitation: ["cancel"] }), true);
    assert.equal(await ask(member, { invitation: ["create"] }), false);
    assert.equal(owner.client.organization.checkRolePermission({ role: "admin", permissions: { organization: ["delete"] } }), false);
    assert.equal(owner.client.organization.checkRolePermission({ role: "owner", permissions: { organization: ["delete"] } }), true);
  });

  test("set the active organization, update it, leave it and delete it", async () => {
    const { org, slug, owner, admin } = await team("life");
    const unset = await admin.client.organization.setActive({ organizationId: null });
    assert.equal(unset.error, null);
    assert.equal(await activeOrganizationId(admin), null);
    const { data: bySlug } = await admin.client.organization.setActive({ organizationSlug: slug });
    assert.equal(bySlug.id, org.id);
    assert.equal(await activeOrganizationId(admin), org.id);

    const { data: renamed, error } = await admin.client.organization.update({ data: { name: "Renamed", metadata: { v: 2 } } });
    assert.equal(error, null);
    assert.equal(renamed.name, "Renamed");
    assert.deepEqual(renamed.metadata, { v: 2 });

    const ownerLeaves = await owner.client.organization.leave({ organizationId: org.id });
    assert.equal(ownerLeaves.error.code, "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER");
    const adminDeletes = await admin.client.organization.delete({ organizationId: org.id });
    assert.equal(adminDeletes.error.code, "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION");
    const { data: left } = await admin.client.organization.leave({ organizationId: org.id });
    assert.equal(left.userId, admin.user.id);
    assert.equal(await activeOrganizationId(admin), null);

    const { data: deleted } = await owner.client.organization.delete({ organizationId: org.id });
    assert.equal(deleted.id, org.id);
    assert.deepEqual((await owner.client.organization.list()).data, []);
    assert.equal(await activeOrganizationId(owner), null);
  });

  test("renaming to a taken slug is a 400 (deliberate difference: the reference answers 500)", async () => {
    const a = await signedUp("slug-a");
    const b = await signedUp("slug-b");
    const taken = `taken-${unique()}`;
    await a.client.organization.create({ name: "A", slug: taken });
    await b.client.organization.create({ name: "B", slug: `mine-${unique()}` });
    const { error } = await b.client.organization.update({ data: { slug: taken } });
    if (onReference) {
      assert.equal(error.status, 500);
    } else {
      assert.equal(error.status, 400);
      assert.equal(error.code, "ORGANIZATION_ALREADY_EXISTS");
    }
  });

  test("accepting a second invitation adds no second membership (deliberate difference)", async () => {
    const owner = await signedUp("twice-owner");
    const guest = await signedUp("twice-guest");
    const { data: org } = await owner.client.organization.create({ name: "Twice", slug: `twice-${unique()}` });
    const { data: first } = await owner.client.organization.inviteMember({ email: guest.email, role: "member" });
    const { data: second } = await owner.client.organization.inviteMember({ email: guest.email, role: "admin", resend: true });
    assert.equal((await guest.client.organization.acceptInvitation({ invitationId: first.id })).error, null);
    const again = await guest.client.organization.acceptInvitation({ invitationId: second.id });
    const { data: full } = await owner.client.organization.getFullOrganization({ query: { organizationId: org.id } });
    const memberships = full.members.filter((m) => m.userId === guest.user.id).length;
    if (onReference) {
      assert.equal(again.error, null);
      assert.equal(memberships, 2);
    } else {
      assert.equal(again.error.code, "USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION");
      assert.equal(memberships, 1);
    }
  });
});
