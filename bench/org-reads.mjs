// Organization reads next to get-session on our server alone (SQLite), for a quick before/after of a change to the
// read path without the reference's run: node bench/org-reads.mjs [--quick]. bench/run.mjs has the side-by-side rows.
import { startOurs } from "../e2e/lib/servers.mjs";
import { CONCURRENCY, fmt, measure, pidOf, seedOrganizations, signUp } from "./load.mjs";

const server = await startOurs({ env: { ASPNETCORE_ENVIRONMENT: "Production", BETTER_AUTH_RATE_LIMIT: "0" } });
try {
  const pid = pidOf(server.port);
  const cookie = await signUp(server, `bench-org-${Date.now()}@example.com`);
  const orgId = await seedOrganizations(server, cookie, 50);
  const cases = [
    ["GET /get-session", "/get-session"],
    ["GET /organization/list (50 orgs)", "/organization/list"],
    ["GET /organization/get-full-organization", `/organization/get-full-organization?organizationId=${orgId}`],
  ];
  console.log("| endpoint | conns | req/s | p50 ms | p99 ms | non-2xx | peak RSS MiB |\n|---|---|---|---|---|---|---|");
  for (const [label, route] of cases) {
    for (const c of CONCURRENCY) {
      const r = measure(pid, `${server.apiURL}${route}`, "get.lua", c, { COOKIE: cookie });
      console.log(`| ${label} | ${c} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.non2xx} | ${r.rss} |`);
    }
  }
} finally {
  await server.stop();
}
