// Every scenario group the differential harness runs, in order.
import { emailPasswordGroups } from "./email-password.mjs";
import { sessionGroups } from "./sessions.mjs";
import { edgeGroups } from "./edge.mjs";

export const groups = [...emailPasswordGroups, ...sessionGroups, ...edgeGroups];
