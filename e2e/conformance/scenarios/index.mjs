// Every scenario group the differential harness runs, in order.
import { emailPasswordGroups } from "./email-password.mjs";
import { sessionGroups } from "./sessions.mjs";
import { edgeGroups } from "./edge.mjs";
import { twoFactorGroups } from "./two-factor.mjs";
import { usernameGroups } from "./username.mjs";
import { anonymousGroups } from "./anonymous.mjs";
import { socialGroups } from "./social.mjs";
import { emailFlowGroups } from "./email-flows.mjs";
import { adminGroups } from "./admin.mjs";
import { phoneNumberGroups } from "./phone-number.mjs";
import { emailOtpGroups } from "./email-otp.mjs";
import { organizationGroups } from "./organization.mjs";
import { mistypedFieldGroups } from "./mistyped-fields.mjs";
import { providerFailureGroups } from "./provider-failures.mjs";

export const groups = [...emailPasswordGroups, ...sessionGroups, ...edgeGroups, ...twoFactorGroups, ...usernameGroups, ...anonymousGroups, ...socialGroups, ...phoneNumberGroups, ...emailOtpGroups, ...organizationGroups, ...emailFlowGroups, ...adminGroups, ...mistypedFieldGroups, ...providerFailureGroups];
