// Differential conformance of the extra plugins (outside the spec's 80 operations): one run per entry of
// conformance/extra-runs.mjs, each against a reference started with that run's REF_EXTRA_PLUGINS. Fails on any
// difference not in conformance/allowlist.mjs. Needs `dotnet build -c Release` first.
// Run: cd e2e && node --test --test-concurrency=1 ./tests/conformance-extra.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { runConformance, startExtraServers } from "../conformance/run.mjs";
import { extraRuns } from "../conformance/extra-runs.mjs";

for (const run of extraRuns) {
  test(`differential conformance with the ${run.name} plugin (REF_EXTRA_PLUGINS=${run.referencePlugins.join(",")})`, { timeout: 600_000 }, async () => {
    const servers = await startExtraServers(run);
    try {
      const { result, text } = await runConformance(servers, { groups: run.groups });
      console.log(text.split("\n").filter((line) => !line.startsWith("note: allow-list entry not needed")).join("\n"));
      assert.ok(result.total > 0, "the run recorded no step");
      assert.ok(result.ok, `${result.total - result.agree} step(s) disagree (see the report above)`);
    } finally {
      await servers.stop();
    }
  });
}
