// Differential runs for Better Auth plugins outside the spec's 80 operations. The reference serves them only when
// started with REF_EXTRA_PLUGINS (they change other answers: multiSession adds cookies, jwt a header), so each set of
// plugins gets its own run, apart from the base run (run.mjs, which keeps its configuration). To add one: write its
// scenario groups under scenarios/, add an entry here, and list its deliberate differences in allowlist.mjs.
//   name              the run's name (`node conformance/run.mjs --extra <name>`, and the test's title)
//   referencePlugins  the reference's REF_EXTRA_PLUGINS (../shared/reference/README.md)
//   oursEnv           environment for our server (its plugins are on by default; configure or enable them here)
//   groups            the scenario groups to run against both
import { passkeyGroups } from "./scenarios/passkey.mjs";
import { sessionPluginGroups } from "./scenarios/session-plugins.mjs";

export const extraRuns = [
  { name: "passkey", referencePlugins: ["passkey"], oursEnv: {}, groups: passkeyGroups },
  {
    name: "session-plugins",
    referencePlugins: ["magicLink", "multiSession", "oneTimeToken"],
    // Magic link is on in the standalone server; multi-session and one-time token are off by default.
    oursEnv: { Plugins__MultiSession__Enabled: "true", Plugins__OneTimeToken__Enabled: "true" },
    groups: sessionPluginGroups,
  },
];
